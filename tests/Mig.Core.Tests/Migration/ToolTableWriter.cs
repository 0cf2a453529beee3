using Microsoft.Data.Sqlite;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// Another tool's writes to its own table, as Litestream 0.3 makes them: once the file exists it switches it to WAL, creates
/// <c>_litestream_seq</c> (if missing) and then, on a thread of its own, commits
/// <c>INSERT ... ON CONFLICT DO UPDATE SET seq = seq + 1</c> about every millisecond (Litestream does it after
/// each checkpoint), with Litestream's one-second busy timeout; a commit refused as busy is retried next time,
/// as Litestream retries its next sync. It never creates the file.
/// </summary>
internal sealed class ToolTableWriter : IDisposable
{
    private readonly Thread thread;
    private volatile bool stopping;
    private Exception? failure;
    private int commits;

    public ToolTableWriter(string path)
    {
        thread = new Thread(() => Run(path)) { IsBackground = true, Name = "tool " + Path.GetFileName(path) };
        thread.Start();
    }

    /// <summary>Commits made so far.</summary>
    public int Commits => Volatile.Read(ref commits);

    private void Run(string path)
    {
        try
        {
            while (!stopping && !File.Exists(path)) Thread.Sleep(1);
            using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 1 }.ToString());
            c.Open();
            Execute(c, "PRAGMA busy_timeout = 1000");
            while (!stopping && !SwitchedToWal(c)) Thread.Sleep(1);
            while (!stopping && !TryExecute(c, "CREATE TABLE IF NOT EXISTS _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER)")) Thread.Sleep(1);
            while (!stopping)
            {
                if (TryExecute(c, "INSERT INTO _litestream_seq (id, seq) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET seq = seq + 1"))
                    Interlocked.Increment(ref commits);
                Thread.Sleep(1);
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
    }

    /// <summary>Litestream's first step on a file: <c>PRAGMA journal_mode = wal</c>, tried again until it holds.</summary>
    private static bool SwitchedToWal(SqliteConnection c)
    {
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode = wal";
            return cmd.ExecuteScalar() as string == "wal";
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            return false;
        }
    }

    private static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Runs <paramref name="sql"/>; false when the file was busy (or not yet a database Mig finished creating).</summary>
    private static bool TryExecute(SqliteConnection c, string sql)
    {
        try
        {
            Execute(c, sql);
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            return false;
        }
    }

    /// <summary>Stops the writer and rethrows what failed other than a busy file.</summary>
    public void Stop()
    {
        stopping = true;
        thread.Join();
        if (failure is not null) throw new InvalidOperationException("the other tool's writer failed", failure);
    }

    public void Dispose()
    {
        stopping = true;
        thread.Join();
    }
}
