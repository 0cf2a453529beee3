namespace Mig.Migration;

/// <summary>
/// MigVerify (docs/hot-migration.md), and the verification MigCutover runs first: compares old and
/// new (row counts, keys, content, data loss nobody accepted), records the result in the audit
/// trail, and refuses any difference.
/// </summary>
internal sealed class VerifyStep(MigrationContext pair)
{
    private readonly PhaseChecks checks = new(pair);

    /// <summary>
    /// Compares old and new: row counts, keys, content, and data loss nobody accepted (MIG0042, unless
    /// <paramref name="allowDataLoss"/>); throws MIG0045 on any other difference.
    /// </summary>
    public VerifyResult Run(bool allowDataLoss)
    {
        checks.RequireOld();
        using var _ = OperationLock.Acquire(pair.OldPath, "MigVerify");
        checks.RequirePair("MigVerify", usesSchema: true);
        return Locked("MigVerify", allowDataLoss);
    }

    /// <summary>Verifies under the pair's lock, which the caller (<paramref name="operation"/>) holds.</summary>
    public VerifyResult Locked(string operation, bool allowDataLoss)
    {
        checks.RequireCopied(operation);
        return Compare(operation, allowDataLoss);
    }

    /// <summary>
    /// The comparison alone, for a caller that has checked the pair's phase itself (an in-app upgrade
    /// finishing after a kill compares a ready new file with its old file); audited in the new file.
    /// </summary>
    public VerifyResult Compare(string operation, bool allowDataLoss)
    {
        using var target = DatabaseFile.Open(pair.NewPath);
        SqliteFile.Execute(target, $"ATTACH DATABASE {Capture.Literal(pair.OldPath)} AS old");
        // Analysed: the losses are those of the old file as it is now, writes made while recording included.
        var plan = Planner.Create(target, pair.Model, "old", analyze: true, ignored: pair.IgnoredWithRecorded(target, "old"));
        var online = Capture.Marker(target, "old") is not null;
        var accepted = (Bookkeeping.Info(target, InfoKeys.AcceptedLosses) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var result = Verifier.Run(target, plan, pair.Model, online, accepted);
        SqliteFile.Execute(target, "DETACH DATABASE old");
        foreach (var t in result.Tables)
            pair.Log($"Mig: verify {t.Table}: old {t.OldRows} rows, new {t.NewRows} rows{(t.Missing + t.Different == 0 ? ", content equal" : $", {t.Missing} missing/changed, {t.Different} extra")}");
        if (allowDataLoss && result.Losses.Count > 0)
        {
            foreach (var l in result.Losses) pair.Log($"Mig: DATA LOSS accepted by -p:MigAllowDataLoss=true: {l.What}");
            result = result with { Losses = [] };
        }
        var failure = result.DuplicateKeys.Count > 0 ? MigCode.DuplicateKey : result.OnlyLosses ? MigCode.DataLoss : MigCode.VerifyFailed;
        Bookkeeping.Audit(target, operation, pair.Hash, result.Ok ? "ok" : $"failed {failure}", string.Join("; ", result.Problems()));
        Refuse(result, operation);
        pair.Log("Mig: verified: every copied table matches, foreign keys hold, nothing pending, no data lost that was not accepted.");
        return result;
    }

    /// <summary>Throws for a failed verification, with the code of its most telling reason (MIG0053, MIG0042, MIG0045).</summary>
    private static void Refuse(VerifyResult result, string operation)
    {
        if (result.DuplicateKeys.Count > 0)
            throw new MigOperationException(MigCode.DuplicateKey,
                $"Writes made while the migration recorded repeat values of a key the new schema makes unique: {string.Join("; ", result.DuplicateKeys)}. " +
                "The new file cannot hold both rows, and Mig does not choose which survives. Nothing was cut over. " +
                "Run MigReset (the old service writes again), make those rows unique in the old file (or drop the key from the schema), then MigMigrate again." +
                (result.Problems().Count() > result.DuplicateKeys.Count ? " Also found: " + string.Join("; ", result.Problems().Where(p => !p.StartsWith("duplicate key: ", StringComparison.Ordinal))) + "." : ""));
        if (result.OnlyLosses)
            throw new MigOperationException(MigCode.DataLoss,
                $"Writes made while the migration recorded would be lost: {string.Join("; ", result.Losses.Select(l => l.What))}. The migration accepted no such loss when it started. Nothing was cut over. " +
                $"To accept the loss, run {operation.Split(' ')[0]} again with -p:MigAllowDataLoss=true; to keep the data, run MigReset (the old service writes again) and change the schema.");
        if (!result.Ok)
            throw new MigOperationException(MigCode.VerifyFailed, "Verification failed: " + string.Join("; ", result.Problems()) + ". Nothing was cut over.");
    }
}
