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
/// Off: the fresh v1 copy as it is served. On: the same file after an online
/// <c>Migrate</c> (marker 'recording', capture triggers, MigDatabase bumping txn_seq).
/// Rounds alternate which state is measured first (on first needs a <c>Reset</c> to
/// get off again), so the file's growth does not favour either.
/// </summary>
internal sealed class CaptureBenchmark(Options options, Schema v2, string source, Sizes sizes, Action<string> progress)
{
    public Series MigOff { get; } = new("MigDatabase.WriteAsync, capture off");
    public Series MigOn { get; } = new("MigDatabase.WriteAsync, capture on");
    public Series RawOff { get; } = new("raw connection, capture off");
    public Series RawOn { get; } = new("raw connection, capture on");
    public Series NormalOff { get; } = new("raw connection, synchronous NORMAL, capture off");
    public Series NormalOn { get; } = new("raw connection, synchronous NORMAL, capture on");
    public Series LogBytesPerTxn { get; } = new("log bytes per transaction");

    private const string InsertLine = "INSERT INTO order_line(order_id, sku, quantity, price) VALUES (@order, @sku, @quantity, @price)";
    private const string UpdateOrder = "UPDATE customer_order SET status = @status WHERE id = @id";

    private long sequence;

    public void Run()
    {
        var dir = Path.Combine(options.Work, "capture");
        Directory.CreateDirectory(dir);
        var old = Path.Combine(dir, "old.db");
        var @new = Path.Combine(dir, "new.db");
        for (var round = 0; round < options.Warmup + options.Runs; round++)
        {
            var record = round >= options.Warmup;
            var clock = Stopwatch.StartNew();
            Fixture.Delete(@new);
            Fixture.CopyDatabase(source, old);
            var migrator = new Migrator(v2.Model, v2.Hash, old, @new, _ => { });
            if (round % 2 == 0)
            {
                Measure(old, record, on: false, round);
                migrator.Migrate(offline: false, allowDataLoss: false);
                Measure(old, record, on: true, round);
            }
            else
            {
                migrator.Migrate(offline: false, allowDataLoss: false);
                Measure(old, record, on: true, round);
                migrator.Reset();
                Measure(old, record, on: false, round);
            }
            progress(string.Create(CultureInfo.InvariantCulture, $"capture: round {round + 1}/{options.Warmup + options.Runs}{(record ? "" : " (warm-up)")} in {clock.Elapsed.TotalSeconds:F1} s, load {Machine.LoadAverage()}"));
        }
        Fixture.Delete(old);
        Fixture.Delete(@new);
    }

    private void Measure(string path, bool record, bool on, int round)
    {
        SqliteConnection.ClearAllPools();
        using (var c = Fixture.Open(path))
        {
            var marker = on ? Fixture.Text(c, "SELECT status FROM _migration_marker") : null;
            if (on && marker != "recording") throw new InvalidOperationException($"expected capture on, marker is '{marker}'");
            if (!on && Fixture.Scalar(c, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'") != 0) throw new InvalidOperationException("expected capture off, found triggers");
        }
        var logBefore = on ? LogBytes(path) : 0;
        var paths = new (Func<double> Run, Series Series)[]
        {
            (() => ThroughMig(path), on ? MigOn : MigOff),
            (() => ThroughRaw(path, normal: false), on ? RawOn : RawOff),
            (() => ThroughRaw(path, normal: true), on ? NormalOn : NormalOff),
        };
        for (var i = 0; i < paths.Length; i++)
        {
            var (run, series) = paths[(i + round) % paths.Length];
            var rate = run();
            if (record) series.Add(rate);
        }
        if (on && record) LogBytesPerTxn.Add((LogBytes(path) - logBefore) / ((2.0 + NormalFactor) * (options.CaptureTransactions + options.CaptureWarmupTransactions)));
    }

    private static double LogBytes(string path)
    {
        using var c = Fixture.Open(path);
        return Fixture.Scalar(c, "SELECT coalesce(sum(length(row_data)), 0) FROM _migration_log");
    }

    private (long Order, string Sku, long Quantity, double Price, string Status, long Id) Next()
    {
        var i = ++sequence;
        return (i * 7919 % sizes.Orders + 1, "SKU-" + (i % 5000).ToString(CultureInfo.InvariantCulture), i % 9 + 1, i % 10000 / 100.0,
                (i % 2 == 0) ? "paid" : "shipped", i * 104729 % sizes.Orders + 1);
    }

    /// <summary>Transactions per second through MigDatabase, after a warm-up on the same instance.</summary>
    private double ThroughMig(string path)
    {
        using var db = new MigDatabase(path);
        Task One()
        {
            var v = Next();
            return db.WriteAsync(t =>
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
            });
        }
        for (var i = 0; i < options.CaptureWarmupTransactions; i++) One().GetAwaiter().GetResult();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < options.CaptureTransactions; i++) One().GetAwaiter().GetResult();
        return options.CaptureTransactions / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Transactions per second through a raw prepared connection (foreign keys on, as
    /// MigDatabase has them). With <paramref name="normal"/>, synchronous NORMAL: in WAL
    /// mode a commit then does not wait for the disk, so what capture costs in CPU shows
    /// instead of hiding behind the fsync (MigDatabase has no such option).
    /// </summary>
    public double ThroughRaw(string path, bool normal)
    {
        using var c = Fixture.Open(path, foreignKeys: true);
        if (normal) Fixture.Exec(c, null, "PRAGMA synchronous = NORMAL");
        var factor = normal ? NormalFactor : 1;
        SqliteCommand Prepared(string sql, params (string Name, SqliteType Type)[] parameters)
        {
            var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            foreach (var (name, type) in parameters) cmd.Parameters.Add(name, type);
            cmd.Prepare();
            return cmd;
        }
        using var begin = Prepared("BEGIN IMMEDIATE");
        using var commit = Prepared("COMMIT");
        using var insert = Prepared(InsertLine, ("@order", SqliteType.Integer), ("@sku", SqliteType.Text), ("@quantity", SqliteType.Integer), ("@price", SqliteType.Real));
        using var update = Prepared(UpdateOrder, ("@status", SqliteType.Text), ("@id", SqliteType.Integer));
        void One()
        {
            var v = Next();
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
        for (var i = 0; i < options.CaptureWarmupTransactions * factor; i++) One();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < options.CaptureTransactions * factor; i++) One();
        return options.CaptureTransactions * factor / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Without an fsync per commit transactions are many times faster: run more of them for the same measuring time.</summary>
    public const int NormalFactor = 4;
}
