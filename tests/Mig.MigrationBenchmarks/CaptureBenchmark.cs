using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Migration;

namespace Mig.MigrationBenchmarks;

/// <summary>
/// Benchmark 3: what capture costs a writer. Small write transactions (one insert of an
/// order line and one update of an order each, both on indexed, foreign-keyed tables),
/// one after another on one thread, through <c>MigDatabase.WriteAsync</c> (prepared
/// commands as the generated code makes them) and through a raw prepared connection.
/// Each round makes two copies of the same v1 file: "off" as it is served, "on" after an
/// online <c>Migrate</c> (marker 'recording', capture triggers; MigDatabase bumps txn_seq).
/// The two are measured paired: short blocks of transactions alternate between them, so
/// a change in the machine's load hits both sides alike, and each round yields one
/// on/off ratio.
/// </summary>
internal sealed class CaptureBenchmark(Options options, Schema v2, string source, Sizes sizes, Action<string> progress)
{
    public sealed record WritePath(string Name, Series Off, Series On, Series Ratio);

    public WritePath Mig { get; } = new("MigDatabase.WriteAsync", new("off"), new("on"), new("ratio"));
    public WritePath Raw { get; } = new("raw connection", new("off"), new("on"), new("ratio"));
    public WritePath Normal { get; } = new($"raw connection, synchronous NORMAL ({NormalFactor}x the transactions)", new("off"), new("on"), new("ratio"));
    public Series LogBytesPerTxn { get; } = new("log bytes per transaction");

    /// <summary>Without an fsync per commit transactions are many times faster: run more of them for the same measuring time.</summary>
    public const int NormalFactor = 4;
    public const int Blocks = 16;

    private const string InsertLine = "INSERT INTO order_line(order_id, sku, quantity, price) VALUES (@order, @sku, @quantity, @price)";
    private const string UpdateOrder = "UPDATE customer_order SET status = @status WHERE id = @id";

    private long sequence;

    public void Run()
    {
        var dir = Path.Combine(options.Work, "capture");
        Directory.CreateDirectory(dir);
        var off = Path.Combine(dir, "off.db");
        var on = Path.Combine(dir, "on.db");
        var onNew = Path.Combine(dir, "on-new.db");
        for (var round = 0; round < options.Warmup + options.Runs; round++)
        {
            var record = round >= options.Warmup;
            var clock = Stopwatch.StartNew();
            Fixture.CopyDatabase(source, off);
            Fixture.Delete(onNew);
            Fixture.CopyDatabase(source, on);
            new Migrator(v2.Model, v2.Hash, on, onNew, _ => { }).Migrate(offline: false, allowDataLoss: false);
            Check(off, on);
            Fixture.Sync();
            var logBefore = LogBytes(on);
            var paths = new (WritePath Path, Func<string, IWriter> Open, int Factor)[]
            {
                (Mig, p => new MigWriter(this, p), 1),
                (Raw, p => new RawWriter(this, p, normal: false), 1),
                (Normal, p => new RawWriter(this, p, normal: true), NormalFactor),
            };
            var txns = 0L;
            for (var i = 0; i < paths.Length; i++)
            {
                var (path, open, factor) = paths[(i + round) % paths.Length];
                var (offRate, onRate, n) = Paired(open, off, on, factor, round);
                txns += n;
                if (!record) continue;
                path.Off.Add(offRate);
                path.On.Add(onRate);
                path.Ratio.Add(onRate / offRate);
            }
            if (record) LogBytesPerTxn.Add((LogBytes(on) - logBefore) / txns);
            progress(string.Create(CultureInfo.InvariantCulture, $"capture: round {round + 1}/{options.Warmup + options.Runs}{(record ? "" : " (warm-up)")} in {clock.Elapsed.TotalSeconds:F1} s, load {Machine.LoadAverage()}"));
        }
        foreach (var f in new[] { off, on, onNew }) Fixture.Delete(f);
    }

    private static void Check(string off, string on)
    {
        using (var c = Fixture.Open(on))
        {
            var marker = Fixture.Text(c, "SELECT status FROM _migration_marker");
            if (marker != "recording") throw new InvalidOperationException($"expected capture on, marker is '{marker}'");
        }
        using (var c = Fixture.Open(off))
        {
            if (Fixture.Scalar(c, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'") != 0) throw new InvalidOperationException("expected capture off, found triggers");
        }
    }

    /// <summary>
    /// Warm-up on both files, then <see cref="Blocks"/> blocks of transactions on each,
    /// alternating (off-on, on-off, ...); returns both rates and the transactions run on "on".
    /// </summary>
    private (double Off, double On, long Transactions) Paired(Func<string, IWriter> open, string off, string on, int factor, int round)
    {
        SqliteConnection.ClearAllPools();
        using var a = open(off);
        using var b = open(on);
        var warmup = options.CaptureWarmupTransactions * factor;
        for (var i = 0; i < warmup; i++)
        {
            a.One();
            b.One();
        }
        var perBlock = Math.Max(1, options.CaptureTransactions * factor / Blocks);
        double timeOff = 0, timeOn = 0;
        for (var block = 0; block < Blocks; block++)
        {
            var onFirst = (block + round) % 2 == 1;
            foreach (var side in onFirst ? new[] { b, a } : [a, b])
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < perBlock; i++) side.One();
                if (side == a) timeOff += clock.Elapsed.TotalSeconds;
                else timeOn += clock.Elapsed.TotalSeconds;
            }
        }
        var n = perBlock * Blocks;
        return (n / timeOff, n / timeOn, n + warmup);
    }

    private static double LogBytes(string path)
    {
        using var c = Fixture.Open(path);
        // The payload of each log row: two integers of up to 8 bytes and two short texts.
        return Fixture.Scalar(c, "SELECT coalesce(sum(16 + length(operation) + length(table_name)), 0) FROM _migration_log");
    }

    private (long Order, string Sku, long Quantity, double Price, string Status, long Id) Next()
    {
        var i = ++sequence;
        return (i * 7919 % sizes.Orders + 1, "SKU-" + (i % 5000).ToString(CultureInfo.InvariantCulture), i % 9 + 1, i % 10000 / 100.0,
                (i % 2 == 0) ? "paid" : "shipped", i * 104729 % sizes.Orders + 1);
    }

    public interface IWriter : IDisposable
    {
        void One();
    }

    /// <summary>Through MigDatabase, as generated code does it: prepared commands from <c>txn.Command</c>.</summary>
    private sealed class MigWriter(CaptureBenchmark bench, string path) : IWriter
    {
        private readonly MigDatabase db = new(path);

        public void One()
        {
            var v = bench.Next();
            db.WriteAsync(t =>
            {
                var insert = t.Command(InsertLine, c =>
                {
                    c.Parameters.Add("@order", SqliteType.Integer);
                    c.Parameters.Add("@sku", SqliteType.Text);
                    c.Parameters.Add("@quantity", SqliteType.Integer);
                    c.Parameters.Add("@price", SqliteType.Real);
                });
                insert.Parameters[0].Value = v.Order;
                insert.Parameters[1].Value = v.Sku;
                insert.Parameters[2].Value = v.Quantity;
                insert.Parameters[3].Value = v.Price;
                insert.ExecuteNonQuery();
                var update = t.Command(UpdateOrder, c =>
                {
                    c.Parameters.Add("@status", SqliteType.Text);
                    c.Parameters.Add("@id", SqliteType.Integer);
                });
                update.Parameters[0].Value = v.Status;
                update.Parameters[1].Value = v.Id;
                update.ExecuteNonQuery();
                return Task.CompletedTask;
            }).GetAwaiter().GetResult();
        }

        public void Dispose() => db.Dispose();
    }

    /// <summary>
    /// A raw prepared connection (foreign keys on, as MigDatabase has them) that knows
    /// nothing of Mig. With <c>normal</c>, synchronous NORMAL: in WAL mode a commit then
    /// does not wait for the disk, so what capture costs in CPU shows instead of hiding
    /// behind the fsync (MigDatabase has no such option).
    /// </summary>
    internal sealed class RawWriter : IWriter
    {
        private readonly CaptureBenchmark bench;
        private readonly SqliteConnection c;
        private readonly SqliteCommand begin, commit, insert, update;

        public RawWriter(CaptureBenchmark bench, string path, bool normal)
        {
            this.bench = bench;
            c = Fixture.Open(path, foreignKeys: true);
            if (normal) Fixture.Exec(c, null, "PRAGMA synchronous = NORMAL");
            begin = Prepared("BEGIN IMMEDIATE");
            commit = Prepared("COMMIT");
            insert = Prepared(InsertLine, ("@order", SqliteType.Integer), ("@sku", SqliteType.Text), ("@quantity", SqliteType.Integer), ("@price", SqliteType.Real));
            update = Prepared(UpdateOrder, ("@status", SqliteType.Text), ("@id", SqliteType.Integer));
        }

        private SqliteCommand Prepared(string sql, params (string Name, SqliteType Type)[] parameters)
        {
            var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            foreach (var (name, type) in parameters) cmd.Parameters.Add(name, type);
            cmd.Prepare();
            return cmd;
        }

        public void One()
        {
            var v = bench.Next();
            begin.ExecuteNonQuery();
            insert.Parameters[0].Value = v.Order;
            insert.Parameters[1].Value = v.Sku;
            insert.Parameters[2].Value = v.Quantity;
            insert.Parameters[3].Value = v.Price;
            insert.ExecuteNonQuery();
            update.Parameters[0].Value = v.Status;
            update.Parameters[1].Value = v.Id;
            update.ExecuteNonQuery();
            commit.ExecuteNonQuery();
        }

        public void Dispose()
        {
            foreach (var cmd in new[] { begin, commit, insert, update }) cmd.Dispose();
            c.Dispose();
        }
    }
}
