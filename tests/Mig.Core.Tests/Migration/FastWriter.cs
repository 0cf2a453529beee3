using Microsoft.Data.Sqlite;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// A second app that writes faster than replay can follow: on a thread of its own, transactions of
/// <c>rows</c> book inserts each (one statement), back to back, until the old file refuses it or it is disposed.
/// </summary>
internal sealed class FastWriter : IDisposable
{
    private readonly Thread thread;
    private volatile bool stopping;
    private volatile bool refused;
    private Exception? failure;
    private long rows;
    private int commits;

    public FastWriter(string path, int rows)
    {
        thread = new Thread(() => Write(path, rows)) { IsBackground = true, Name = "fast writer" };
        thread.Start();
    }

    public int Commits => Volatile.Read(ref commits);
    public long Rows => Interlocked.Read(ref rows);

    private void Write(string path, int batch)
    {
        try
        {
            using var c = HotDb.OpenReadWrite(path);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO author(name, score) VALUES ('fast', 0) RETURNING id";
            var author = (long)cmd.ExecuteScalar()!;
            cmd.CommandText = $"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {batch}) INSERT INTO book(author_id, title, pages, cover) SELECT {author}, 'fast ' || i, i, NULL FROM s";
            while (!stopping)
            {
                using var txn = c.BeginTransaction(deferred: false);
                cmd.Transaction = txn;
                try
                {
                    cmd.ExecuteNonQuery();
                    txn.Commit();
                }
                catch (SqliteException e) when (HotWriter.IsGuardError(e))
                {
                    refused = true;
                    return;
                }
                Interlocked.Add(ref rows, batch);
                Interlocked.Increment(ref commits);
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
    }

    /// <summary>Waits until the log holds <paramref name="entries"/> entries the new file has not replayed.</summary>
    public void WaitForPending(HotPair pair, long entries)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (HotDb.Scalar(pair.OldPath, $"SELECT count(*) FROM {Protocol.LogTable} WHERE id > {HotDb.Info(pair.NewPath, "checkpoint")}") < entries)
        {
            Check();
            Assert.IsLessThan(deadline, DateTime.UtcNow, "the fast writer did not write enough");
            Thread.Sleep(20);
        }
    }

    public void WaitForCommits(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Commits < count)
        {
            Check();
            Assert.IsLessThan(deadline, DateTime.UtcNow, $"the fast writer did not get to {count} commits");
            Thread.Sleep(20);
        }
    }

    /// <summary>True once the writer was refused by the guards within <paramref name="patience"/>.</summary>
    public bool WaitUntilRefused(TimeSpan patience)
    {
        thread.Join(patience);
        Check();
        return refused;
    }

    private void Check()
    {
        if (failure is not null) throw new InvalidOperationException("the fast writer failed: " + HotWriter.Describe(failure), failure);
    }

    public void Dispose()
    {
        stopping = true;
        thread.Join();
    }
}
