using Microsoft.Data.Sqlite;

namespace Mig;

/// <summary>
/// One open connection with its prepared commands and what it last saw of the
/// migration markers. Commands stay prepared across transactions; the markers
/// are re-read only when <c>PRAGMA data_version</c> says another connection
/// committed something, so checking them costs one tiny statement.
/// </summary>
internal sealed class PooledConnection : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);
    private readonly SqliteCommand begin, beginImmediate, commit, rollback, dataVersion;
    private long seenDataVersion = -1;

    public PooledConnection(string path, MigDatabaseOptions options)
    {
        Connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false, // MigDatabase pools, with the prepared commands attached
            ForeignKeys = true,
            // Microsoft.Data.Sqlite retries a busy statement until the command timeout (30 s by
            // default) after SQLite's busy handler gives up; without this the option would not
            // bound the wait. Whole seconds, and 0 would mean forever.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString());
        Connection.Open();
        Execute($"PRAGMA busy_timeout = {(int)options.BusyTimeout.TotalMilliseconds}");
        begin = Prepare("BEGIN");
        beginImmediate = Prepare("BEGIN IMMEDIATE");
        commit = Prepare("COMMIT");
        rollback = Prepare("ROLLBACK");
        dataVersion = Prepare("PRAGMA data_version");
    }

    public SqliteConnection Connection { get; }

    /// <summary>The new-database status ('migrating', 'ready') or null when the file has none.</summary>
    public string? Status { get; private set; }

    /// <summary>The old-database marker ('recording', 'draining') or null when no migration touches the file.</summary>
    public string? Marker { get; private set; }

    public void Begin(bool write)
    {
        (write ? beginImmediate : begin).ExecuteNonQuery();
        var version = (long)dataVersion.ExecuteScalar()!;
        if (version != seenDataVersion)
        {
            ReadMarkers();
            seenDataVersion = version;
        }
    }

    public void Commit() => commit.ExecuteNonQuery();

    public void Rollback()
    {
        // After some errors SQLite has already rolled back; a second ROLLBACK would throw.
        if (!Connection.Handle!.IsInvalid && SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) == 0)
            rollback.ExecuteNonQuery();
    }

    /// <summary>A prepared command for this SQL, created once per connection.</summary>
    public SqliteCommand Command(string sql, Action<SqliteCommand>? addParameters)
    {
        if (commands.TryGetValue(sql, out var cmd)) return cmd;
        cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        addParameters?.Invoke(cmd);
        cmd.Prepare();
        commands[sql] = cmd;
        return cmd;
    }

    /// <summary>Marks the start of a write's capture group (see <see cref="Protocol.MarkerTable"/>).</summary>
    public void BumpTxnSeq() =>
        Command($"UPDATE {Protocol.MarkerTable} SET txn_seq = txn_seq + 1 WHERE id = 0", null).ExecuteNonQuery();

    private void ReadMarkers()
    {
        using var tables = Connection.CreateCommand();
        tables.CommandText = $"SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('{Protocol.StatusTable}', '{Protocol.MarkerTable}')";
        var present = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = tables.ExecuteReader())
            while (reader.Read()) present.Add(reader.GetString(0));
        Status = present.Contains(Protocol.StatusTable) ? Scalar($"SELECT status FROM {Protocol.StatusTable} WHERE id = 0") : null;
        Marker = present.Contains(Protocol.MarkerTable) ? Scalar($"SELECT status FROM {Protocol.MarkerTable} WHERE id = 0") : null;
    }

    private string? Scalar(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar() as string;
    }

    private SqliteCommand Prepare(string sql)
    {
        var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Prepare();
        return cmd;
    }

    private void Execute(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var cmd in commands.Values) cmd.Dispose();
        foreach (var cmd in new[] { begin, beginImmediate, commit, rollback, dataVersion }) cmd.Dispose();
        Connection.Dispose();
    }
}
