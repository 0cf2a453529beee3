using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Mig;

/// <summary>
/// One open connection with its prepared commands and what it last saw of the
/// migration markers. Commands stay prepared across transactions; the markers
/// are re-read only when <c>PRAGMA data_version</c> says another connection
/// committed something, so checking them costs one tiny statement. It never
/// waits for a lock inside SQLite (busy timeout 0): a statement that would wait
/// returns SQLITE_BUSY at once, and <see cref="MigDatabase"/> waits between tries
/// without holding a thread.
/// </summary>
internal sealed class PooledConnection : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);
    // Generated code passes string constants, which are interned: finding their command by
    // reference skips hashing the SQL text on every call (about 20 ns of a 2 us point select).
    private readonly Dictionary<string, SqliteCommand> commandsByReference = new(ReferenceEqualityComparer.Instance);
    private readonly SqliteCommand commit, rollback;
    // The per-transaction statements, stepped directly: through SqliteCommand each costs a data
    // reader and about a microsecond, which is most of Mig's overhead on a point select, and a
    // busy one would be retried by Microsoft.Data.Sqlite in a loop that sleeps on the thread.
    private readonly sqlite3_stmt beginImmediate, begin, dataVersion, commitRead;
    private long seenDataVersion = -1;

    public PooledConnection(string path, MigDatabaseOptions options)
    {
        Connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false, // MigDatabase pools, with the prepared commands attached
            ForeignKeys = true,
            // Microsoft.Data.Sqlite retries a busy statement of its own commands (the caller's,
            // COMMIT) until the command timeout (30 s by default); without this the option would
            // not bound that wait. Whole seconds, and 0 would mean forever.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString());
        Connection.Open();
        // SQLite's busy handler sleeps on the calling thread and cannot be cancelled: the locks
        // Mig takes (BEGIN IMMEDIATE, a read's first step) are tried once and waited for in
        // MigDatabase. In WAL mode nothing else inside a transaction waits.
        SqliteFile.SetBusyTimeout(Connection, 0);
        commit = Prepare("COMMIT");
        rollback = Prepare("ROLLBACK");
        beginImmediate = PrepareRaw("BEGIN IMMEDIATE");
        begin = PrepareRaw("BEGIN");
        dataVersion = PrepareRaw("PRAGMA data_version");
        commitRead = PrepareRaw("COMMIT");
    }

    public SqliteConnection Connection { get; }

    /// <summary>The new-database status ('migrating', 'ready') or null when the file has none.</summary>
    public string? Status { get; private set; }

    /// <summary>The old-database marker ('recording', 'draining') or null when no migration touches the file.</summary>
    public string? Marker { get; private set; }

    /// <summary>
    /// Begins a transaction and reads the markers if the file changed, or returns false, with no
    /// transaction open, when another connection holds the lock it needs: the write lock for a
    /// write, and for a read a lock that keeps readers out (a rollback-journal file being committed
    /// or written by a copy, a journal mode switch).
    /// </summary>
    public bool TryBegin(bool write)
    {
        // A deferred BEGIN takes no lock; PRAGMA data_version opens the read snapshot (in WAL) or
        // takes the shared lock (rollback journal), so a read waits there if it waits at all.
        if (write)
        {
            var begun = raw.sqlite3_step(beginImmediate);
            if (begun != raw.SQLITE_DONE)
            {
                if (IsBusy(begun))
                {
                    raw.sqlite3_reset(beginImmediate);
                    return false;
                }
                Fail(beginImmediate, begun);
            }
            raw.sqlite3_reset(beginImmediate);
        }
        else StepDone(begin);
        var rc = raw.sqlite3_step(dataVersion);
        if (rc != raw.SQLITE_ROW)
        {
            if (IsBusy(rc))
            {
                raw.sqlite3_reset(dataVersion);
                Rollback();
                return false;
            }
            Fail(dataVersion, rc);
        }
        var version = raw.sqlite3_column_int64(dataVersion, 0);
        raw.sqlite3_reset(dataVersion);
        if (version != seenDataVersion)
        {
            ReadMarkers();
            seenDataVersion = version;
        }
        return true;
    }

    private static bool IsBusy(int rc) => SqliteFile.IsBusy(rc);

    /// <summary>The journal mode ('wal', 'delete', ...); inside a transaction, where it cannot be busy.</summary>
    public string JournalMode()
    {
        if (!SqliteFile.TryJournalMode(Connection, out var mode)) throw new InvalidOperationException("PRAGMA journal_mode was busy inside a transaction.");
        return mode;
    }

    /// <summary>Commits; a read transaction's COMMIT only ends its snapshot and never waits for a lock.</summary>
    public void Commit(bool write)
    {
        if (write) commit.ExecuteNonQuery();
        else StepDone(commitRead);
    }

    private void StepDone(sqlite3_stmt stmt)
    {
        var rc = raw.sqlite3_step(stmt);
        if (rc != raw.SQLITE_DONE) Fail(stmt, rc);
        raw.sqlite3_reset(stmt);
    }

    private void Fail(sqlite3_stmt stmt, int rc)
    {
        raw.sqlite3_reset(stmt);
        SqliteException.ThrowExceptionForRC(rc, Connection.Handle);
        throw new InvalidOperationException($"SQLite returned {rc}.");
    }

    public void Rollback()
    {
        // After some errors SQLite has already rolled back; a second ROLLBACK would throw.
        if (!Connection.Handle!.IsInvalid && raw.sqlite3_get_autocommit(Connection.Handle) == 0)
            rollback.ExecuteNonQuery();
    }

    /// <summary>A prepared command for this SQL, created once per connection.</summary>
    public SqliteCommand Command(string sql, Action<SqliteCommand>? addParameters)
    {
        if (commandsByReference.TryGetValue(sql, out var cmd)) return cmd;
        if (!commands.TryGetValue(sql, out cmd))
        {
            cmd = Connection.CreateCommand();
            cmd.CommandText = sql;
            addParameters?.Invoke(cmd);
            cmd.Prepare();
            commands[sql] = cmd;
        }
        // Only interned strings: SQL built at run time is a new instance each call and would grow this without bound.
        if (ReferenceEquals(string.IsInterned(sql), sql)) commandsByReference[sql] = cmd;
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
        // A new file that captures its writes only in case of a revert serves as usual: no migration is under way.
        if (Marker == Protocol.Revertible) Marker = null;
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

    private sqlite3_stmt PrepareRaw(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(Connection.Handle, sql, out var stmt);
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, Connection.Handle);
        return stmt;
    }

    public void Dispose()
    {
        foreach (var cmd in commands.Values) cmd.Dispose();
        foreach (var cmd in new[] { commit, rollback }) cmd.Dispose();
        foreach (var stmt in new[] { beginImmediate, begin, dataVersion, commitRead }) stmt.Dispose();
        Connection.Dispose();
    }
}
