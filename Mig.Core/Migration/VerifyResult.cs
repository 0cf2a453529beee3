namespace Mig.Migration;

/// <summary>The result of comparing the old and new files.</summary>
/// <param name="Tables">Each copied table compared.</param>
/// <param name="ForeignKeyViolations">Broken references in the new file.</param>
/// <param name="PendingEntries">Captured writes not replayed yet.</param>
/// <param name="Losses">
/// Data the new file does not carry that nobody accepted: the old file as it is now (with the
/// writes made while recording) loses it, but the table or column was not among the losses
/// accepted with -p:MigAllowDataLoss=true when the migration started.
/// </param>
internal sealed record VerifyResult(IReadOnlyList<TableCheck> Tables, IReadOnlyList<string> ForeignKeyViolations, long PendingEntries, IReadOnlyList<DataLoss> Losses)
{
    /// <summary>
    /// Keys the new schema makes unique whose values the old file now repeats (writes made while
    /// recording): replay cannot keep both rows, so the new file cannot equal the old one.
    /// </summary>
    public IReadOnlyList<string> DuplicateKeys { get; init; } = [];

    /// <summary>AUTOINCREMENT tables whose counter in the new file is below the old file's: the new file would hand out a key again.</summary>
    public IReadOnlyList<string> SequencesBehind { get; init; } = [];

    /// <summary>True when every table matches, keys hold, nothing is pending and nothing is lost unaccepted.</summary>
    public bool Ok => PendingEntries == 0 && ForeignKeyViolations.Count == 0 && Losses.Count == 0 && DuplicateKeys.Count == 0 && SequencesBehind.Count == 0 && Tables.All(t => t.Missing == 0 && t.Different == 0);

    /// <summary>True when the only reason verification fails is data loss nobody accepted.</summary>
    public bool OnlyLosses => Losses.Count > 0 && (this with { Losses = [] }).Ok;

    /// <summary>Why verification failed, one line a reason.</summary>
    public IEnumerable<string> Problems()
    {
        if (PendingEntries > 0) yield return $"{PendingEntries} captured write(s) are not replayed yet; run MigDrain";
        foreach (var d in DuplicateKeys) yield return "duplicate key: " + d;
        foreach (var v in ForeignKeyViolations) yield return "foreign key: " + v;
        foreach (var s in SequencesBehind) yield return "AUTOINCREMENT: " + s;
        foreach (var t in Tables.Where(t => t.Missing > 0 || t.Different > 0))
            yield return $"{t.Table}: {t.Missing} old row(s) missing or changed in the new file, {t.Different} new row(s) not in the old file" +
                         (t.Columns.Count > 0 ? $" (columns differing: {string.Join(", ", t.Columns)})" : "");
        foreach (var l in Losses) yield return $"data loss not accepted when the migration started: {l.What}";
    }
}
