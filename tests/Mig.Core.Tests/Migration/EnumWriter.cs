using Microsoft.Data.Sqlite;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// The old service of <see cref="EnumTextMigrationTests"/>: on a thread of its own, inserts, updates
/// and deletes <c>"order"</c> rows with values of the old form (an enum's integer or its name) until the
/// old file pauses its writes or it is disposed; remembers every row as it committed it, by member index.
/// </summary>
internal sealed class EnumWriter : IDisposable
{
    private readonly Thread thread;
    private readonly object gate = new();
    private readonly SortedDictionary<long, (int Status, int? Previous)> rows = [];
    private volatile bool stopping;
    private Exception? failure;
    private int commits;

    /// <param name="path">The old file.</param>
    /// <param name="value">The stored form of member i in the old file.</param>
    /// <param name="firstId">The first id the writer inserts (rows below it are the test's).</param>
    public EnumWriter(string path, Func<int, object> value, long firstId)
    {
        thread = new Thread(() => Write(path, value, firstId)) { IsBackground = true, Name = "enum writer" };
        thread.Start();
    }

    public int Commits => Volatile.Read(ref commits);

    /// <summary>The rows the writer committed (its own ids only).</summary>
    public SortedDictionary<long, (int Status, int? Previous)> Rows
    {
        get { lock (gate) return new(rows); }
    }

    private void Write(string path, Func<int, object> value, long next)
    {
        try
        {
            using var c = HotDb.OpenReadWrite(path);
            var rng = new Random(14);
            while (!stopping)
            {
                using var cmd = c.CreateCommand();
                var status = rng.Next(3);
                int? previous = rng.Next(4) == 0 ? null : rng.Next(3);
                var known = Rows.Keys.ToList();
                var op = known.Count == 0 ? 0 : rng.Next(4);
                var id = op == 0 ? next : known[rng.Next(known.Count)];
                cmd.CommandText = op switch
                {
                    0 => "INSERT INTO \"order\" VALUES (@id, @s, @p)",
                    3 => "DELETE FROM \"order\" WHERE id = @id",
                    _ => "UPDATE \"order\" SET status = @s, previous = @p WHERE id = @id",
                };
                cmd.Parameters.AddWithValue("@id", id);
                cmd.Parameters.AddWithValue("@s", value(status));
                cmd.Parameters.AddWithValue("@p", previous is { } p ? value(p) : DBNull.Value);
                try
                {
                    cmd.ExecuteNonQuery();
                }
                catch (SqliteException e) when (HotWriter.IsGuardError(e))
                {
                    return;
                }
                lock (gate)
                {
                    if (op == 3) rows.Remove(id);
                    else rows[id] = (status, previous);
                }
                if (op == 0) next++;
                Interlocked.Increment(ref commits);
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
    }

    /// <summary>Waits until the writer committed <paramref name="count"/> writes in all.</summary>
    public void WaitForCommits(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Commits < count)
        {
            Check();
            Assert.IsLessThan(deadline, DateTime.UtcNow, $"the writer did not get to {count} commits");
            Thread.Sleep(10);
        }
    }

    /// <summary>Stops the writer (if the old file has not) and rethrows what it failed with.</summary>
    public void Stop()
    {
        stopping = true;
        thread.Join();
        Check();
    }

    private void Check()
    {
        if (failure is not null) throw new AssertFailedException("the writer failed: " + failure);
    }

    public void Dispose()
    {
        stopping = true;
        thread.Join();
    }
}
