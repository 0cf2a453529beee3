using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Mig.Migration;

namespace Mig.MigrationBenchmarks;

/// <summary>
/// Benchmark 1c: what a live service sees during an online <c>Migrate</c>. A writer
/// thread runs small write transactions through <c>MigDatabase.WriteAsync</c> (the
/// service's path, default 5 s busy timeout) at a steady pace, first for a while with
/// no migration (the baseline), then while <c>Migrate(offline: false)</c> runs on the
/// same file. Reported: the longest time a write transaction took (waiting for the
/// lock included) and the writes that failed, in both periods.
/// </summary>
internal sealed class LiveWriterProbe(Options options, Schema v2, string source, Sizes sizes, Action<string> progress)
{
    public Series BaselineMax { get; } = new("longest write, no migration");
    public Series DuringMax { get; } = new("longest write, during online Migrate");
    public Series Migrate { get; } = new("online Migrate with the writer running");
    public Series DuringFailed { get; } = new("failed writes during");
    public Series DuringCommitted { get; } = new("committed writes during");
    public Series BaselineCommitted { get; } = new("committed writes, baseline");
    public string? FirstFailure { get; private set; }
    public const double PaceSeconds = 0.01;

    public void Run()
    {
        var dir = Path.Combine(options.Work, "live-writer");
        Directory.CreateDirectory(dir);
        var old = Path.Combine(dir, "old.db");
        var @new = Path.Combine(dir, "new.db");
        for (var run = 0; run < options.ProbeRuns; run++)
        {
            Fixture.Delete(@new);
            Fixture.CopyDatabase(source, old);
            SqliteConnection.ClearAllPools();
            using var db = new MigDatabase(old);
            var baseline = Write(db, TimeSpan.FromSeconds(options.ProbeBaselineSeconds), null);
            Stopwatch? migrate = null;
            var during = Write(db, null, () =>
            {
                migrate = Stopwatch.StartNew();
                new Migrator(v2.Model, v2.Hash, old, @new, _ => { }).Migrate(offline: false, allowDataLoss: false);
                migrate.Stop();
            });
            BaselineMax.Add(baseline.Max);
            BaselineCommitted.Add(baseline.Committed);
            DuringMax.Add(during.Max);
            DuringFailed.Add(during.Failed);
            DuringCommitted.Add(during.Committed);
            Migrate.Add(migrate!.Elapsed.TotalSeconds);
            FirstFailure ??= during.FirstFailure;
            progress($"live writer: run {run + 1}/{options.ProbeRuns}: online Migrate {Fmt.S(migrate.Elapsed.TotalSeconds)}; longest write {Fmt.S(during.Max)} (baseline {Fmt.S(baseline.Max)}), {during.Failed} failed, {during.Committed} committed; load {Machine.LoadAverage()}");
        }
        Fixture.Delete(old);
        Fixture.Delete(@new);
    }

    private sealed record Result(double Max, int Committed, int Failed, string? FirstFailure);

    /// <summary>Writes every <see cref="PaceSeconds"/> until <paramref name="duration"/> passes or <paramref name="alongside"/> returns.</summary>
    private Result Write(MigDatabase db, TimeSpan? duration, Action? alongside)
    {
        var stop = false;
        double max = 0;
        int committed = 0, failed = 0;
        string? firstFailure = null;
        long i = 0;
        var writer = new Thread(() =>
        {
            var clock = Stopwatch.StartNew();
            var next = 0.0;
            while (!Volatile.Read(ref stop))
            {
                var wait = next - clock.Elapsed.TotalSeconds;
                if (wait > 0) Thread.Sleep(TimeSpan.FromSeconds(wait));
                next = clock.Elapsed.TotalSeconds + PaceSeconds;
                var started = clock.Elapsed.TotalSeconds;
                try
                {
                    var n = ++i;
                    db.WriteAsync(t =>
                    {
                        var insert = t.Command("INSERT INTO order_line(order_id, sku, quantity, price) VALUES (@o, 'SKU-LIVE', 1, 1.0)", c => c.Parameters.Add("@o", SqliteType.Integer));
                        insert.Parameters[0].Value = n % sizes.Orders + 1;
                        insert.ExecuteNonQuery();
                        var update = t.Command("UPDATE customer SET tier = tier + 1 WHERE id = @id", c => c.Parameters.Add("@id", SqliteType.Integer));
                        update.Parameters[0].Value = n % sizes.Customers + 1;
                        update.ExecuteNonQuery();
                        return Task.CompletedTask;
                    }).GetAwaiter().GetResult();
                    committed++;
                }
                catch (Exception e)
                {
                    failed++;
                    firstFailure ??= $"{e.GetType().Name}: {e.Message}";
                }
                max = Math.Max(max, clock.Elapsed.TotalSeconds - started);
            }
        });
        writer.Start();
        if (duration is { } d) Thread.Sleep(d);
        alongside?.Invoke();
        Volatile.Write(ref stop, true);
        writer.Join();
        return new Result(max, committed, failed, firstFailure);
    }
}
