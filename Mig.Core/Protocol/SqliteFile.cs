using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Mig;

/// <summary>
/// The few SQLite primitives every layer uses, written once: run a statement, read a count,
/// open a file read-only, ask for a table, set the busy timeout, and read or switch the
/// journal mode without waiting inside SQLite. A command given no transaction runs in the
/// connection's current one, if any (as <see cref="SqliteConnection.CreateCommand"/> sets it).
/// </summary>
internal static class SqliteFile
{
    /// <summary>Opens a file read-only and unpooled, so no lock outlives the caller's use of it.</summary>
    public static SqliteConnection OpenReadOnly(string path)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        return c;
    }

    /// <summary>Runs a statement (or several, separated by ';').</summary>
    public static void Execute(SqliteConnection c, string sql, SqliteTransaction? txn = null)
    {
        using var cmd = c.CreateCommand();
        if (txn is not null) cmd.Transaction = txn;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>The integer a query returns (a count, a max), 0 when it returns no row.</summary>
    public static long Scalar(SqliteConnection c, string sql, SqliteTransaction? txn = null)
    {
        using var cmd = c.CreateCommand();
        if (txn is not null) cmd.Transaction = txn;
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }

    /// <summary>Whether <paramref name="schema"/> (main, or an attached file) has a table of exactly this name.</summary>
    public static bool TableExists(SqliteConnection c, SqliteTransaction? txn, string table, string schema = "main")
    {
        using var cmd = c.CreateCommand();
        if (txn is not null) cmd.Transaction = txn;
        cmd.CommandText = $"SELECT count(*) FROM {schema}.sqlite_schema WHERE type = 'table' AND name = @n";
        cmd.Parameters.AddWithValue("@n", table);
        return (long)cmd.ExecuteScalar()! > 0;
    }

    /// <summary>How long SQLite's busy handler waits for a lock on this connection (0: not at all).</summary>
    public static void SetBusyTimeout(SqliteConnection c, int milliseconds) =>
        Execute(c, "PRAGMA busy_timeout = " + milliseconds.ToString(CultureInfo.InvariantCulture));

    /// <summary>The file's journal mode ('delete', 'wal', ...).</summary>
    public static string JournalMode(SqliteConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        return (cmd.ExecuteScalar() as string ?? "delete").ToLowerInvariant();
    }

    /// <summary>SQLITE_BUSY or SQLITE_LOCKED, with any extended code: another connection holds what this one needs.</summary>
    public static bool IsBusy(int rc) => (rc & 0xFF) is raw.SQLITE_BUSY or raw.SQLITE_LOCKED;

    /// <summary>
    /// Switches the file to WAL once, outside a transaction; false while another connection has a
    /// transaction open on it (the switch needs the file to itself for a moment). Waits at most the
    /// connection's busy timeout: stepped directly, so Microsoft.Data.Sqlite does not retry on top.
    /// <paramref name="mode"/> is the mode the file is in after the try ('wal' when it switched; a file
    /// that cannot be WAL, on a VFS without shared memory, answers its old mode).
    /// </summary>
    public static bool TrySwitchToWal(SqliteConnection c, out string mode) => TryPragma(c, "PRAGMA journal_mode = WAL", out mode);

    /// <summary>The journal mode, or false when reading it was busy (outside a transaction, it reads the schema).</summary>
    public static bool TryJournalMode(SqliteConnection c, out string mode) => TryPragma(c, "PRAGMA journal_mode", out mode);

    // Prepared each time: these run once per connection or operation. Even preparing can be busy: the pragma reads the schema.
    private static bool TryPragma(SqliteConnection c, string sql, out string result)
    {
        result = "";
        var rc = raw.sqlite3_prepare_v2(c.Handle, sql, out var stmt);
        using (stmt)
        {
            if (IsBusy(rc)) return false;
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, c.Handle);
            rc = raw.sqlite3_step(stmt);
            if (IsBusy(rc)) return false;
            if (rc != raw.SQLITE_ROW) SqliteException.ThrowExceptionForRC(rc, c.Handle);
            result = raw.sqlite3_column_text(stmt, 0).utf8_to_string().ToLowerInvariant();
            return true;
        }
    }
}
