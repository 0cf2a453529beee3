namespace Mig.Migration;

/// <summary>
/// The files of a folder that could be a database's live file: <c>name-*.db</c>, not a migration's
/// unfinished new file, not retired by MigArchiveOld. (An old file cut over but not archived yet still
/// counts: MigArchiveOld finds it.) The verbs look for the old file here, and so does an in-app upgrade.
/// </summary>
internal static class LiveFiles
{
    /// <summary>The live files of <paramref name="name"/> in <paramref name="dir"/> other than <paramref name="besides"/>, resolved, in ordinal order.</summary>
    public static List<string> Find(string dir, string name, string besides) =>
        Directory.Exists(dir)
            ? Directory.GetFiles(dir, name + "-*.db").Where(f => !OfLongerName(Path.GetFileName(f), name))
                .Select(PathResolver.Resolve).Where(f => !PathResolver.Same(f, besides) && IsLive(f)).Distinct().Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>
    /// <c>a-b-&lt;hash&gt;.db</c> matches <c>a-*.db</c> but is the file of database <c>a-b</c> (two databases of a
    /// project may share a folder): never take it for an older file of <c>a</c>. Any other name, e.g. a
    /// <c>-p:MigNewDatabase=a-prod.db</c>, still counts.
    /// </summary>
    private static bool OfLongerName(string fileName, string name)
    {
        var rest = fileName[(name.Length + 1)..^".db".Length];
        var dash = rest.LastIndexOf('-');
        return dash > 0 && rest.Length - dash - 1 == Sql.SchemaHash.Length && rest[(dash + 1)..].All(char.IsAsciiHexDigitLower);
    }

    private static bool IsLive(string path)
    {
        var record = RecordedPair.TryRead(path);
        return record is not null && record.OwnStatus is null or Protocol.Ready;
    }
}
