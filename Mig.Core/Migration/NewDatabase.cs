using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// The new file's bookkeeping (hot-migration.md): its status, the facts a
/// migration records (schema hash, old file, copy cutoff, replay checkpoint),
/// <c>_id_mapping</c>, and the audit trail of every operation run on the pair.
/// </summary>
internal static class NewDatabase
{
    /// <summary>Old rowid -> new rowid of rows whose key became the rowid (normally none; see <see cref="IdMapping"/>).</summary>
    public const string IdMappingTable = Protocol.IdMappingTable;
    /// <summary>One row per operation run against this pair of files.</summary>
    public const string AuditTable = Protocol.AuditTable;

    /// <summary>The bookkeeping of a file a migration builds.</summary>
    public static IReadOnlyList<string> MigrationStatements =>
    [
        $"CREATE TABLE {IdMappingTable}(table_name TEXT NOT NULL, old_id INTEGER NOT NULL, new_id INTEGER NOT NULL, PRIMARY KEY (table_name, old_id))",
        AuditDdl,
    ];

    /// <summary>The audit table.</summary>
    public const string AuditDdl = $"CREATE TABLE IF NOT EXISTS {AuditTable}(id INTEGER PRIMARY KEY, at TEXT NOT NULL, operation TEXT NOT NULL, schema_hash TEXT NOT NULL, result TEXT NOT NULL, detail TEXT NOT NULL)";

    /// <summary>Reads a fact, or null.</summary>
    public static string? Info(SqliteConnection c, string key, string schema = "main", SqliteTransaction? txn = null)
    {
        if (!Capture.TableExists(c, txn, Protocol.InfoTable, schema)) return null;
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

    /// <summary>The status ('migrating', 'ready'), or null when the file has none.</summary>
    public static string? Status(SqliteConnection c, string schema = "main")
    {
        if (!Capture.TableExists(c, null, Protocol.StatusTable, schema)) return null;
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT status FROM {schema}.{Protocol.StatusTable} WHERE id = 0";
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>Appends to the audit trail (creating it in a file that predates it).</summary>
    public static void Audit(SqliteConnection c, string operation, string hash, string result, string detail, SqliteTransaction? txn = null)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = txn;
        cmd.CommandText = AuditDdl + ";" + $"INSERT INTO {AuditTable}(at, operation, schema_hash, result, detail) VALUES (@at, @op, @hash, @result, @detail)";
        cmd.Parameters.AddWithValue("@at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("@op", operation);
        cmd.Parameters.AddWithValue("@hash", hash);
        cmd.Parameters.AddWithValue("@result", result);
        cmd.Parameters.AddWithValue("@detail", detail);
        cmd.ExecuteNonQuery();
    }

    private const int BusyTimeoutMs = 10_000;

    /// <summary>Opens a file Mig manages, unpooled so no lock outlives the operation.</summary>
    public static SqliteConnection Open(string path, bool create = false)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            ForeignKeys = false, // copies and replays check keys once, afterwards
        }.ToString());
        c.Open();
        SetBusyTimeout(c, BusyTimeoutMs);
        return c;
    }

    /// <summary>
    /// Opens a file read-only for inspection (MigStatus, the checks before a delete). A process
    /// killed inside a write transaction of a rollback-journal file (the copy builds the new file
    /// that way) leaves a hot journal, which a read-only connection cannot roll back (SQLITE_READONLY).
    /// Then the file is opened read-write once, so SQLite rolls the unfinished transaction back as
    /// any next writer would (only when no live process holds it: a journal is hot only then).
    /// </summary>
    public static SqliteConnection OpenForReading(string path)
    {
        var c = OpenReadOnly(path);
        try
        {
            Scalar(c, "SELECT count(*) FROM sqlite_schema");
            return c;
        }
        catch (SqliteException e) when ((e.SqliteErrorCode & 0xff) == 8 && File.Exists(path + "-journal")) // READONLY (READONLY_ROLLBACK)
        {
            c.Dispose();
            using (var writer = Open(path)) Scalar(writer, "SELECT count(*) FROM sqlite_schema");
            return OpenReadOnly(path);
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    private static SqliteConnection OpenReadOnly(string path)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        return c;
    }

    /// <summary>Deletes a database file with its WAL and shared-memory files.</summary>
    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
            if (File.Exists(f)) File.Delete(f);
    }

    /// <summary>The file's journal mode ('delete', 'wal', ...).</summary>
    public static string JournalMode(SqliteConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        return (cmd.ExecuteScalar() as string ?? "delete").ToLowerInvariant();
    }

    /// <summary>
    /// Switches a file to WAL, or throws MIG0049 once <paramref name="patience"/> is spent. The switch
    /// needs the file to itself for a moment: another connection's open transaction makes it fail,
    /// at once when that connection writes, so it is retried in short steps until the deadline
    /// (with the connection's own busy timeout and Microsoft.Data.Sqlite's retries, a few hard
    /// tries would each wait 30 s, and a reader that stays would hold the operation for minutes).
    /// </summary>
    public static void UseWal(SqliteConnection c, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                var left = patience - clock.Elapsed;
                SetBusyTimeout(c, (int)Math.Clamp(left.TotalMilliseconds, 0, 1000));
                try
                {
                    using var cmd = c.CreateCommand();
                    cmd.CommandText = "PRAGMA journal_mode = WAL";
                    cmd.CommandTimeout = 1; // seconds; 0 would retry forever
                    var mode = cmd.ExecuteScalar() as string;
                    if (mode == "wal") return;
                    throw new MigOperationException(Migrator.BusyCode, $"{c.DataSource} stayed in journal mode '{mode}'; Mig needs WAL so the copy blocks no writer.");
                }
                catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) // BUSY, LOCKED
                {
                    if (clock.Elapsed >= patience)
                        throw new MigOperationException(Migrator.BusyCode,
                            $"{c.DataSource} could not be switched to WAL within {patience.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s: " +
                            "another connection kept a transaction open on it the whole time (a long read, a backup, a writer).", e);
                    Thread.Sleep(50);
                }
            }
        }
        finally
        {
            SetBusyTimeout(c, BusyTimeoutMs);
        }
    }

    private static void SetBusyTimeout(SqliteConnection c, int milliseconds)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA busy_timeout = " + milliseconds.ToString(CultureInfo.InvariantCulture);
        cmd.ExecuteNonQuery();
    }

    internal static long Scalar(SqliteConnection c, string sql, SqliteTransaction? txn = null)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = txn;
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }

    internal static void Execute(SqliteConnection c, string sql, SqliteTransaction? txn = null)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = txn;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
