using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// Mig's bookkeeping in a file (docs/hot-migration.md): its status, its facts (<see cref="Protocol.InfoTable"/>,
/// keys in <see cref="InfoKeys"/>), and in a file a migration builds <c>_id_mapping</c> and the audit
/// trail of every operation run on the pair. Read and written on the new file, and on an old file
/// MigArchiveOld retires.
/// </summary>
internal static class Bookkeeping
{
    /// <summary>The bookkeeping a migration adds to the file it builds (after <see cref="Protocol.NewDatabaseStatements"/>).</summary>
    public static IReadOnlyList<string> MigrationStatements =>
    [
        $"CREATE TABLE {Protocol.IdMappingTable}(table_name TEXT NOT NULL, old_id INTEGER NOT NULL, new_id INTEGER NOT NULL, PRIMARY KEY (table_name, old_id))",
        AuditDdl,
    ];

    /// <summary>The audit table.</summary>
    private const string AuditDdl = $"CREATE TABLE IF NOT EXISTS {Protocol.AuditTable}(id INTEGER PRIMARY KEY, at TEXT NOT NULL, operation TEXT NOT NULL, schema_hash TEXT NOT NULL, result TEXT NOT NULL, detail TEXT NOT NULL)";

    /// <summary>Reads a fact, or null.</summary>
    public static string? Info(SqliteConnection c, string key, string schema = "main", SqliteTransaction? txn = null)
    {
        if (!SqliteFile.TableExists(c, txn, Protocol.InfoTable, schema)) return null;
        using var cmd = c.CreateCommand();
        cmd.Transaction = txn;
        cmd.CommandText = $"SELECT value FROM {schema}.{Protocol.InfoTable} WHERE key = @k";
        cmd.Parameters.AddWithValue("@k", key);
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>Writes a fact.</summary>
    public static void SetInfo(SqliteConnection c, string key, string value, SqliteTransaction? txn = null, string schema = "main") =>
        SetFact(c, $"{schema}.{Protocol.InfoTable}", key, value, txn);

    /// <summary>Writes a fact into a key/value table of Mig's (the new file's <c>_mig_info</c>, the old file's <c>_mig_old_info</c>).</summary>
    internal static void SetFact(SqliteConnection c, string table, string key, string value, SqliteTransaction? txn)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = txn;
        cmd.CommandText = $"INSERT INTO {table}(key, value) VALUES (@k, @v) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        cmd.Parameters.AddWithValue("@k", key);
        cmd.Parameters.AddWithValue("@v", value);
        cmd.ExecuteNonQuery();
    }

    /// <summary>The status ('migrating', 'ready', 'retired'), or null when the file has none.</summary>
    public static string? Status(SqliteConnection c, string schema = "main")
    {
        if (!SqliteFile.TableExists(c, null, Protocol.StatusTable, schema)) return null;
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT status FROM {schema}.{Protocol.StatusTable} WHERE id = 0";
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>Appends to the audit trail (creating it in a file that predates it).</summary>
    public static void Audit(SqliteConnection c, string operation, string hash, string result, string detail, SqliteTransaction? txn = null)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = txn;
        cmd.CommandText = AuditDdl + ";" + $"INSERT INTO {Protocol.AuditTable}(at, operation, schema_hash, result, detail) VALUES (@at, @op, @hash, @result, @detail)";
        cmd.Parameters.AddWithValue("@at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("@op", operation);
        cmd.Parameters.AddWithValue("@hash", hash);
        cmd.Parameters.AddWithValue("@result", result);
        cmd.Parameters.AddWithValue("@detail", detail);
        cmd.ExecuteNonQuery();
    }
}
