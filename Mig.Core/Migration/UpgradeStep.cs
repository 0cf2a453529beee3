using Microsoft.Data.Sqlite;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// An in-app upgrade (the generated <c>MigSchemaInfo.UpgradeAsync</c>, docs/in-app-upgrade.md), for an
/// app that is the only writer of its file: in one folder, under one lock per database name, create the
/// current schema's file when there is none, return it when it is ready, or migrate the one older file
/// offline into it (the same plan rules as MigMigrate), retire the old file and archive it.
/// </summary>
internal sealed class UpgradeStep(SchemaModel model, string hash, string databaseName, MigUpgradeOptions options)
{
    private const string Operation = "in-app upgrade";

    private void Log(string line) => options.Log?.Invoke(line);

    /// <summary>Runs the upgrade of <paramref name="directory"/>; returns the current schema's file.</summary>
    public string Run(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var dir = PathResolver.Resolve(directory);
        var target = Path.Combine(dir, Protocol.DatabaseFileName(databaseName, hash));
        // Two processes starting at once: one upgrades, the other waits and then finds the file ready.
        using var _ = OperationLock.Acquire(Path.Combine(dir, databaseName), Operation, options.LockTimeout, cancellationToken);
        if (File.Exists(target)) return Existing(dir, target);
        var olds = LiveFiles.Find(dir, databaseName, besides: target);
        if (olds.Count > 1)
            throw new MigOperationException(MigCode.NoOldDatabase,
                $"Several databases could be the one to upgrade in {dir}: {string.Join(", ", olds.Select(Path.GetFileName))}. Nothing was changed. Keep the live one and move the others out of the folder (e.g. into archive/), then start again.");
        if (olds.Count == 0)
        {
            DatabaseCreator.Create(model, target, hash);
            Log($"Mig: created {target} (schema {hash}).");
            return target;
        }
        RefuseNewer(olds[0], target);
        Migrate(olds[0], target);
        Archive(olds[0], target, dir);
        return target;
    }

    /// <summary>
    /// The current schema's file is there: ready, it is the answer (an old file it was upgraded from that
    /// is still in the folder, after a kill between the steps, is finished first); otherwise a hot
    /// migration into it is in progress, which an upgrade must not touch.
    /// </summary>
    private string Existing(string dir, string target)
    {
        var facts = NewFileFacts.Read(target);
        if (facts.Status != Protocol.Ready)
            throw PhaseChecks.WrongPhase(
                $"{target} is not ready ({facts.Describe()}): a hot migration into it is in progress or was abandoned. The app cannot upgrade meanwhile. Finish it (MigDrain, MigCutover) or abandon it (MigReset), then start the app again.");
        if (facts.OldDatabase is { } recorded && File.Exists(recorded) && PathResolver.Same(Path.GetDirectoryName(PathResolver.Resolve(recorded)), dir))
            Finish(PathResolver.Resolve(recorded), target, dir);
        return target;
    }

    /// <summary>
    /// The old file is still in the folder: the upgrade was killed after the new file turned ready. If
    /// the old file is unchanged since the copy (verified like a cutover), retire and archive it;
    /// if it was written since (an older version of the app ran again), refuse: Mig does not choose.
    /// </summary>
    private void Finish(string old, string target, string dir)
    {
        var record = RecordedPair.TryRead(old);
        if (record is null || record.Marker is not null) return; // not ours to finish (another migration records it)
        if (!record.Retired)
        {
            var pair = new MigrationContext(model, hash, old, target, Log, TimeSpan.FromSeconds(30));
            using var oldLock = OperationLock.Acquire(old, Operation);
            using var holder = DatabaseFile.Open(old);
            using var txn = holder.BeginTransaction(deferred: false);
            try
            {
                new VerifyStep(pair).Compare(Operation, options.AllowDataLoss);
            }
            catch (MigOperationException e)
            {
                throw new MigOperationException(e.Code,
                    $"{target} is ready, but {old}, the file it was upgraded from, differs from it: {e.Message} It was written after the upgrade copied it. " +
                    "Mig does not choose between them; no data was changed and nothing moved. Keep the file whose data you want in the folder and move the other one out, then start again.", e);
            }
            ArchiveStep.MarkRetired(holder, target, txn);
            txn.Commit();
        }
        Archive(old, target, dir);
    }

    /// <summary>
    /// An older version of the app started on a folder a newer version upgraded: the file there was built
    /// from this version's file. Migrating it back would undo the newer version's upgrade; refuse (MIG0040).
    /// </summary>
    private static void RefuseNewer(string old, string target)
    {
        var builtFrom = NewFileFacts.Read(old).OldDatabase;
        if (builtFrom is not null && string.Equals(Path.GetFileName(builtFrom), Path.GetFileName(target), StringComparison.Ordinal))
            throw PhaseChecks.WrongPhase(
                $"{old} was upgraded from this version's file {Path.GetFileName(target)}: this app is older than its data. Nothing was changed. Run the newer version of the app (to go back to this version's schema, restore {Path.GetFileName(target)} from the archive folder).");
    }

    /// <summary>
    /// The offline migration (MigMigrate's plan rules and refusals), while a write transaction on the old
    /// file keeps any other writer out; the old file is retired in that same transaction once the new file
    /// is ready, so nothing committed to it after the copy goes unseen.
    /// </summary>
    private void Migrate(string old, string target)
    {
        var migrator = new Migrator(model, hash, old, target, Log);
        using var holder = DatabaseFile.Open(old);
        using var txn = holder.BeginTransaction(deferred: false);
        migrator.Migrate(offline: true, allowDataLoss: options.AllowDataLoss);
        ArchiveStep.MarkRetired(holder, target, txn);
        txn.Commit();
    }

    /// <summary>Moves the retired old file to the archive folder; the upgrade is complete without it, so a failure only warns.</summary>
    private void Archive(string old, string target, string dir)
    {
        var archive = Path.GetFullPath(options.ArchiveDirectory ?? Path.Combine(dir, "archive"));
        try
        {
            Directory.CreateDirectory(archive);
            SqliteConnection.ClearAllPools();
            new Migrator(model, hash, old, target, Log).ArchiveOld(archive);
        }
        catch (Exception e) when (e is MigOperationException or IOException or UnauthorizedAccessException or SqliteException)
        {
            Log($"Mig: warning: {target} is ready, but {old} (retired) could not be moved to {archive}: {e.Message} It stays in the folder, retired; the next start tries again.");
        }
    }
}
