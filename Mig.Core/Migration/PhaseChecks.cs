using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// The refusals the phases share: each checks that it is its turn on the pair the old file
/// records, and says what to run instead when it is not (MIG0040, MIG0044, MIG0046, MIG0047).
/// </summary>
internal sealed class PhaseChecks(MigrationContext pair)
{
    /// <summary>A refusal because another phase must run first (MIG0040); the message says which.</summary>
    public static MigOperationException WrongPhase(string message) => new(MigCode.WrongPhase, message);

    /// <summary>Refuses (MIG0047) when the old file is not there.</summary>
    public void RequireOld()
    {
        if (!File.Exists(pair.OldPath))
            throw new MigOperationException(MigCode.NoOldDatabase, $"The old database {pair.OldPath} does not exist. Set -p:MigDatabase=<path> to the live database (for a first database, run MigInit).");
    }

    /// <summary>Reads the old file's record and refuses what contradicts it (another new file, another schema, a cutover already recorded).</summary>
    public RecordedPair RequirePair(string operation, bool usesSchema)
    {
        RecordedPair record;
        using (var old = DatabaseFile.Open(pair.OldPath)) record = RecordedPair.Read(old);
        CheckRecordedNew(record, operation);
        if (usesSchema) CheckRecordedSchema(record, operation);
        if (record.CutOverAt is not null && operation != "MigCutover")
        {
            var ready = File.Exists(pair.NewPath) && NewFileFacts.Read(pair.NewPath).Status == Protocol.Ready;
            throw WrongPhase($"{operation}: " + (ready ? $"{pair.NewPath} is already cut over (status 'ready'); nothing to do. MigArchiveOld cleans up the old file." : CutOverAdvice(record)));
        }
        return record;
    }

    /// <summary>
    /// Refuses unless the new file holds a complete copy from this old file that is not cut over, and
    /// (except for MigVerify) the old file still records the migration.
    /// </summary>
    public void RequireCopied(string operation)
    {
        RecordedPair record;
        using (var old = DatabaseFile.Open(pair.OldPath)) record = RecordedPair.Read(old);
        if (!File.Exists(pair.NewPath) && record.CutOverAt is not null)
            throw WrongPhase($"{operation}: " + CutOverAdvice(record));
        if (!File.Exists(pair.NewPath))
            throw WrongPhase(record.Marker is not null
                ? $"{operation}: there is no new file {pair.NewPath}: an earlier MigMigrate stopped before it copied. Run MigMigrate again (it copies; the capture stays), or MigReset to abandon."
                : $"{operation}: there is no new file {pair.NewPath} and no migration in progress on {pair.OldPath}; run MigMigrate first.");
        using var target = DatabaseFile.Open(pair.NewPath);
        CheckNewBuiltFromOld(target, operation);
        var status = Bookkeeping.Status(target);
        if (status == Protocol.Ready)
            throw WrongPhase($"{operation}: {pair.NewPath} is already cut over (status 'ready'); nothing to do. MigArchiveOld cleans up the old file.");
        if (status == Protocol.Retired)
            throw new MigOperationException(MigCode.FileInTheWay, $"{operation}: {RetiredNewFile()}");
        if (Bookkeeping.Info(target, InfoKeys.Cutoff) is null)
            throw WrongPhase(record.Marker is not null
                ? $"{operation}: the copy into {pair.NewPath} did not finish (no cutoff recorded). Run MigMigrate again (it copies again; the capture keeps recording), or MigReset to abandon."
                : $"{operation}: {pair.NewPath} is an unfinished copy and {pair.OldPath} records no migration. Run MigReset (it deletes that file), then MigMigrate.");
        if (record.Marker is null && operation != "MigVerify")
            throw WrongPhase($"{operation}: {pair.OldPath} is not being recorded; {pair.NewPath} is left over from a migration that was reset or made offline. Run MigReset (it deletes a left-over unfinished file), then MigMigrate.");
    }

    /// <summary>Why a retired database at the new path stays where it is (MIG0046).</summary>
    public string RetiredNewFile() =>
        $"{pair.NewPath} is a retired database (an old file MigArchiveOld retired after an earlier cutover), and its name is this schema's file name. " +
        "Mig neither overwrites nor deletes it; nothing was changed. Move it away (keep it as a backup), or choose another path with -p:MigNewDatabase, then MigMigrate.";

    /// <summary>Refuses (MIG0044) a new path that is not the one the old file records: every operation acts on the recorded pair.</summary>
    public void CheckRecordedNew(RecordedPair record, string operation)
    {
        if (record.NewDatabase is { } recorded && !PathResolver.Same(recorded, pair.NewPath))
            throw new MigOperationException(MigCode.WrongPair,
                $"{operation}: {pair.OldPath} records {(record.Retired ? "that it was retired for" : "a migration into")} {recorded} (schema {record.SchemaHash ?? "?"}), not {pair.NewPath}. Nothing was changed. " +
                $"Operations act on the recorded pair: run {operation} with -p:MigNewDatabase={recorded}, or without -p:MigNewDatabase (the tool then takes the recorded file).");
    }

    /// <summary>Refuses (MIG0044) a schema that is not the one the old file's migration builds, for the operations that use the schema.</summary>
    public void CheckRecordedSchema(RecordedPair record, string operation)
    {
        if (record.SchemaHash is { } recorded && recorded != pair.Hash)
            throw new MigOperationException(MigCode.WrongPair,
                $"{operation}: the migration on {pair.OldPath} builds schema {recorded} into {record.NewDatabase}; this checkout's schema is {pair.Hash}. Nothing was changed. " +
                (record.CutOverAt is not null
                    ? "That migration is cut over; MigStatus and MigArchiveOld work from any checkout."
                    : $"Run {operation} from a checkout of schema {recorded}; to abandon that migration instead, run MigReset (from any checkout)."));
    }

    /// <summary>The new file must be built from this old file: a new file of another old file (a copy, a restored backup) is not this pair's.</summary>
    public void CheckNewBuiltFromOld(SqliteConnection target, string operation)
    {
        if (Bookkeeping.Info(target, InfoKeys.OldDatabase) is { } recordedOld && !PathResolver.Same(recordedOld, pair.OldPath))
            throw new MigOperationException(MigCode.WrongPair,
                $"{operation}: {pair.NewPath} was built from {recordedOld}, not from {pair.OldPath}. Nothing was changed. Run {operation} with -p:MigDatabase={recordedOld}; " +
                $"for {pair.OldPath}, choose another -p:MigNewDatabase (MigStatus -p:MigDatabase={pair.OldPath} shows its state).");
    }

    /// <summary>What to do once the old file records a cutover, by the state of the new file.</summary>
    public string CutOverAdvice(RecordedPair record)
    {
        var where = record.NewDatabase ?? pair.NewPath;
        var head = $"{pair.OldPath} records a cutover to {where} (at {record.CutOverAt}). The new file may serve writes from then on, so the old file is never written again by a migration step. ";
        if (!File.Exists(where))
            return head + $"{where} is missing: put it back where it was (it may have been moved or renamed), then run MigStatus. The old file stays paused.";
        var facts = NewFileFacts.Read(where);
        return facts.Status == Protocol.Ready
            ? head + "To clean up the old file, run MigArchiveOld; to go back, restore a backup (writes made to the new file since cutover are in the new file only)."
            : head + "The cutover did not finish (the new file is not ready yet): run MigCutover again to finish it.";
    }
}
