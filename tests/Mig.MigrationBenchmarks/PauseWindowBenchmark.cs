using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Migration;

namespace Mig.MigrationBenchmarks;

/// <summary>
/// Benchmark 6: the write-unavailable window of MigDrain against the size of the backlog, measured
/// from outside, by a writer. For each backlog size: an online Migrate, then a writer (its own
/// connection, a thread of this process) records the backlog at a steady rate (10 log entries per
/// transaction: 5 inserts, 3 updates, 2 deletes); once the backlog is there it goes on writing
/// one-entry transactions every 2 ms while <c>Migrator.Drain</c> runs. Window = from the start of
/// the writer's first refused write to the return of Drain (drain complete). Also reported: the
/// drain's total time (it catches up first), the longest successful write meanwhile (how long the
/// catch-up's log trimming held a writer up), and a verification of the pair afterwards.
/// </summary>
internal sealed class PauseWindowBenchmark(Options options, Schema v2, string source, Sizes sizes, Action<string> progress)
{
    public IReadOnlyList<long> Backlogs => options.WindowBacklogs;
    public Dictionary<long, Series> Window { get; } = [];
    public Dictionary<long, Series> DrainTotal { get; } = [];
    public Dictionary<long, Series> RecordRate { get; } = [];
    public Dictionary<long, Series> LongestWrite { get; } = [];
    public Dictionary<long, Series> LiveWrites { get; } = [];
    public List<string> Checks { get; } = [];

    public void Run()
    {
        var dir = Path.Combine(options.Work, "window");
        Directory.CreateDirectory(dir);
        foreach (var backlog in Backlogs)
        {
            foreach (var d in new[] { Window, DrainTotal, RecordRate, LongestWrite, LiveWrites }) d[backlog] = new Series(Fmt.N(backlog));
            for (var round = 0; round < options.WindowRuns; round++)
            {
                var clock = Stopwatch.StartNew();
                RunOnce(Path.Combine(dir, "old.db"), Path.Combine(dir, "new.db"), backlog);
                progress(string.Create(CultureInfo.InvariantCulture,
                    $"window: backlog {backlog:N0}, round {round + 1}/{options.WindowRuns} in {clock.Elapsed.TotalSeconds:F1} s: window {Fmt.Ms(Window[backlog].Values[^1])}, load {Machine.LoadAverage()}"));
            }
        }
        foreach (var f in Directory.GetFiles(dir)) File.Delete(f);
    }

    private void RunOnce(string old, string @new, long backlog)
    {
        Fixture.Delete(@new);
        Fixture.CopyDatabase(source, old);
        SqliteConnection.ClearAllPools();
        new Migrator(v2.Model, v2.Hash, old, @new, _ => { }).Migrate(offline: false, allowDataLoss: false);
        using var writer = new PacedWriter(old, sizes, options.WindowRecordRate);
        var recorded = writer.WaitForEntries(backlog);
        RecordRate[backlog].Add(recorded);
        var drainStart = writer.Clock.Elapsed.TotalSeconds;
        new Migrator(v2.Model, v2.Hash, old, @new, _ => { }).Drain();
        var drainEnd = writer.Clock.Elapsed.TotalSeconds;
        writer.WaitUntilRefused();
        Window[backlog].Add(drainEnd - writer.FirstRefusedStart);
        DrainTotal[backlog].Add(drainEnd - drainStart);
        LongestWrite[backlog].Add(writer.LongestLiveWrite);
        LiveWrites[backlog].Add(writer.LiveCommits);
        var verify = new Migrator(v2.Model, v2.Hash, old, @new, _ => { }).Verify();
        var line = $"backlog {Fmt.N(backlog)}: {(verify.Ok ? "verified equal after the drain" : "DIFFERENT: " + string.Join("; ", verify.Problems()))}, {Fmt.N(writer.LiveCommits)} live writes committed during the drain";
        if (!Checks.Contains(line)) Checks.Add(line);
        if (!verify.Ok) throw new InvalidOperationException("Window check failed: " + line);
    }

    /// <summary>
    /// The old service's writer: ten-entry transactions at a steady rate until told the backlog is
    /// there, then one-entry transactions every 2 ms until the old file refuses one.
    /// </summary>
    private sealed class PacedWriter : IDisposable
    {
        private readonly Thread thread;
        private readonly double rate;
        private readonly Sizes sizes;
        private readonly string path;
        private long entries;
        private volatile bool live;
        private volatile bool stopping;
        private Exception? failure;

        public PacedWriter(string path, Sizes sizes, double entriesPerSecond)
        {
            this.path = path;
            this.sizes = sizes;
            rate = entriesPerSecond;
            thread = new Thread(Write) { IsBackground = true, Name = "paced writer" };
            thread.Start();
        }

        public Stopwatch Clock { get; } = Stopwatch.StartNew();
        public double FirstRefusedStart { get; private set; } = double.NaN;
        public double LongestLiveWrite { get; private set; }
        public long LiveCommits { get; private set; }

        /// <summary>Waits until the writer committed <paramref name="backlog"/> entries, then switches it to live writing; returns the recording rate.</summary>
        public double WaitForEntries(long backlog)
        {
            while (Interlocked.Read(ref entries) < backlog)
            {
                if (failure is not null) throw new InvalidOperationException("writer failed", failure);
                Thread.Sleep(5);
            }
            var rateSeen = Interlocked.Read(ref entries) / Clock.Elapsed.TotalSeconds;
            live = true;
            return rateSeen;
        }

        public void WaitUntilRefused()
        {
            if (!thread.Join(TimeSpan.FromSeconds(60))) throw new InvalidOperationException("the writer was not refused after the drain");
            if (failure is not null) throw new InvalidOperationException("writer failed", failure);
        }

        private void Write()
        {
            try
            {
                using var c = Fixture.Open(path, foreignKeys: true);
                Fixture.Exec(c, null, "PRAGMA synchronous = NORMAL");
                var ten = new TenEntries(c, sizes);
                long t = 0;
                while (!live && !stopping)
                {
                    // Paced: transaction t is due at t * 10 / rate seconds.
                    var due = t * 10 / rate;
                    var ahead = due - Clock.Elapsed.TotalSeconds;
                    if (ahead > 0.001) Thread.Sleep(TimeSpan.FromSeconds(ahead));
                    ten.Run(t++);
                    Interlocked.Add(ref entries, 10);
                }
                using var one = c.CreateCommand();
                one.CommandText = "UPDATE customer SET tier = tier + 1 WHERE id = @id";
                var id = one.Parameters.Add("@id", SqliteType.Integer);
                for (long i = 0; !stopping; i++)
                {
                    var started = Clock.Elapsed.TotalSeconds;
                    try
                    {
                        id.Value = i % sizes.Customers + 1;
                        one.ExecuteNonQuery();
                    }
                    catch (SqliteException e) when (e.Message.Contains(Protocol.WritesPausedMessage, StringComparison.Ordinal))
                    {
                        FirstRefusedStart = started;
                        return;
                    }
                    LongestLiveWrite = Math.Max(LongestLiveWrite, Clock.Elapsed.TotalSeconds - started);
                    LiveCommits++;
                    Thread.Sleep(2);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        }

        public void Dispose()
        {
            stopping = true;
            thread.Join();
        }
    }

    /// <summary>Ten captured writes per transaction: customer, order and 3 lines inserted, 3 updates, 2 of its own earlier lines deleted.</summary>
    private sealed class TenEntries
    {
        private readonly SqliteConnection c;
        private readonly Sizes sizes;
        private readonly Queue<long> lines = new();
        private readonly SqliteCommand begin, commit, customer, order, line, tier, status, quantity, delete;
        private readonly string run = Guid.NewGuid().ToString("N")[..8];

        public TenEntries(SqliteConnection c, Sizes sizes)
        {
            this.c = c;
            this.sizes = sizes;
            begin = Cmd("BEGIN IMMEDIATE");
            commit = Cmd("COMMIT");
            customer = Cmd("INSERT INTO customer(name, email, tier) VALUES (@n, @e, 1)", "@n", "@e");
            order = Cmd("INSERT INTO customer_order(customer_id, placed_at, status) VALUES (last_insert_rowid(), '2025-01-01T00:00:00Z', 'placed')");
            line = Cmd("INSERT INTO order_line(order_id, sku, quantity, price) VALUES (@o, 'SKU-LIVE', 1, 9.99)", "@o");
            tier = Cmd("UPDATE customer SET tier = tier + 1 WHERE id = @id", "@id");
            status = Cmd("UPDATE customer_order SET status = 'shipped' WHERE id = @id", "@id");
            quantity = Cmd("UPDATE order_line SET quantity = quantity + 1 WHERE id = @id", "@id");
            delete = Cmd("DELETE FROM order_line WHERE id = @id", "@id");
        }

        private SqliteCommand Cmd(string sql, params string[] parameters)
        {
            var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            foreach (var p in parameters) cmd.Parameters.AddWithValue(p, DBNull.Value);
            return cmd;
        }

        public void Run(long t)
        {
            begin.ExecuteNonQuery();
            customer.Parameters[0].Value = "Live customer " + t.ToString(CultureInfo.InvariantCulture);
            customer.Parameters[1].Value = $"live{run}-{t.ToString(CultureInfo.InvariantCulture)}@example.org";
            customer.ExecuteNonQuery();
            order.ExecuteNonQuery();
            var orderId = Fixture.Scalar(c, "SELECT last_insert_rowid()");
            for (var i = 0; i < 3; i++)
            {
                line.Parameters[0].Value = orderId;
                line.ExecuteNonQuery();
                lines.Enqueue(Fixture.Scalar(c, "SELECT last_insert_rowid()"));
            }
            tier.Parameters[0].Value = t * 13 % sizes.Customers + 1;
            tier.ExecuteNonQuery();
            status.Parameters[0].Value = t * 17 % sizes.Orders + 1;
            status.ExecuteNonQuery();
            quantity.Parameters[0].Value = sizes.Lines - t % 1000; // old rows from the end: never one of the deleted ones
            quantity.ExecuteNonQuery();
            for (var i = 0; i < 2; i++)
            {
                delete.Parameters[0].Value = lines.Dequeue();
                delete.ExecuteNonQuery();
            }
            commit.ExecuteNonQuery();
        }
    }
}
