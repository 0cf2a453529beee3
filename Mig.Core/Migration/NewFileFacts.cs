namespace Mig.Migration;

/// <summary>
/// What the file at a new path is, read before Mig deletes, rebuilds or reports on it: Mig only
/// ever deletes its own unfinished copy ('migrating', built from this old file), or an empty
/// file its MigMigrate created and was killed before the schema committed (empty but for the
/// tables Litestream adds to a file it replicates).
/// </summary>
/// <param name="Status">'migrating', 'ready', 'retired', or null (no bookkeeping).</param>
/// <param name="OldDatabase">The old file it was built from, as its <c>_mig_info</c> records.</param>
/// <param name="Cutoff">The log id the copy committed with; null while the copy has not committed.</param>
/// <param name="Empty">No table at all, or only Litestream's (a killed MigMigrate before its schema committed).</param>
internal sealed record NewFileFacts(string? Status, string? OldDatabase, string? Cutoff, bool Empty)
{
    /// <summary>Reads the facts of an existing file (rolling back a killed writer's hot journal, see <see cref="DatabaseFile.OpenForReading"/>).</summary>
    public static NewFileFacts Read(string path)
    {
        using var c = DatabaseFile.OpenForReading(path);
        return new NewFileFacts(Bookkeeping.Status(c), Bookkeeping.Info(c, InfoKeys.OldDatabase), Bookkeeping.Info(c, InfoKeys.Cutoff), HasOnlyLitestreamTables(c));
    }

    /// <summary>
    /// No table but Litestream's: Litestream adds its two tables to a file it is told to replicate as soon as
    /// the file exists, so a new file whose path was listed ahead gets them before (or without) Mig's schema.
    /// </summary>
    private static bool HasOnlyLitestreamTables(Microsoft.Data.Sqlite.SqliteConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT tbl_name FROM sqlite_schema";
        using var r = cmd.ExecuteReader();
        while (r.Read())
            if (!IgnoredTables.Default.Ignores(r.GetString(0))) return false;
        return true;
    }

    /// <summary>This migration's unfinished copy from <paramref name="oldPath"/>, which Mig may delete and build again.</summary>
    public bool IsUnfinishedCopyOf(string oldPath, bool recordedByOld) =>
        Status != Protocol.Ready && Status != Protocol.Retired &&
        ((Status == Protocol.Migrating && PathResolver.Same(OldDatabase, oldPath)) || (Empty && recordedByOld));

    /// <summary>What the file is, for messages.</summary>
    public string Describe() =>
        Empty ? "an empty database" : $"status '{Status ?? "none"}'" + (OldDatabase is null ? ", no old file recorded" : $", built from {OldDatabase}");
}
