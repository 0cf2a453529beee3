using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Mig.Migration;

namespace Mig.MigrationBenchmarks;

/// <summary>
/// Benchmark 3b: where the capture's cost goes. One file after an online <c>Migrate</c>
/// is copied once per variant of what Mig installed, each variant made by rewriting the
/// installed trigger SQL and log table on the benchmark's own copy (Mig itself is not
/// changed): no capture, Mig's capture as installed, and Mig's capture without one
/// ingredient at a time. The raw synchronous-NORMAL writer of benchmark 3 runs short
/// blocks on each file in turn, rotating, so load changes hit every variant alike.
/// </summary>
internal sealed partial class CaptureCostBenchmark(Options options, Schema v2, string source, CaptureBenchmark writer, Action<string> progress)
{
    public sealed record Variant(string Name, string LogDdl, IReadOnlyList<string> Triggers, Series Rate, Series Ratio);

    public List<Variant> Variants { get; } = [];
    public List<string> Notes { get; } = [];

    private const string TxnSubquery = "(SELECT txn_seq FROM _migration_marker WHERE id = 0)";

    [GeneratedRegex(@"^(.*?, '(?:insert|update|delete)', '(?:[^']|'')*', )(.*)(\); END)$", RegexOptions.Singleline)]
    private static partial Regex ImageArgument();

    public void Run()
    {
        var dir = Path.Combine(options.Work, "capture-cost");
        Directory.CreateDirectory(dir);
        var old = Path.Combine(dir, "old.db");
        var @new = Path.Combine(dir, "new.db");
        Fixture.Delete(@new);
        Fixture.CopyDatabase(source, old);
        new Migrator(v2.Model, v2.Hash, old, @new, _ => { }).Migrate(offline: false, allowDataLoss: false);
        string logDdl;
        List<string> triggers;
        using (var c = Fixture.Open(old))
        {
            logDdl = Fixture.Text(c, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = '_migration_log'");
            triggers = [];
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '\\_mig\\_capture\\_%' ESCAPE '\\' ORDER BY name";
            using var r = cmd.ExecuteReader();
            while (r.Read()) triggers.Add(r.GetString(0));
        }
        var plainLog = logDdl.Replace(" AUTOINCREMENT", "", StringComparison.OrdinalIgnoreCase);
        var constantTxn = triggers.Select(t => t.Replace(TxnSubquery, "0", StringComparison.Ordinal)).ToList();
        var constantRow = triggers.Select(t => ImageArgument().Replace(t, "$1'{}'$3")).ToList();
        var bare = constantRow.Select(t => t.Replace(TxnSubquery, "0", StringComparison.Ordinal)).ToList();

        Variants.Add(new("capture off (no triggers)", logDdl, [], new("off"), new("off ratio")));
        Variants.Add(new("Mig's capture, as installed", logDdl, triggers, new("mig"), new("mig ratio")));
        if (plainLog != logDdl) Variants.Add(new("... with the log table not AUTOINCREMENT", plainLog, triggers, new("plain"), new("plain ratio")));
        else Notes.Add("The installed log table is not AUTOINCREMENT; that variant is left out.");
        if (!constantTxn.SequenceEqual(triggers)) Variants.Add(new("... with txn_id a constant (no marker subquery per row)", logDdl, constantTxn, new("txn"), new("txn ratio")));
        else Notes.Add("The installed triggers have no txn_seq subquery; that variant is left out.");
        if (!constantRow.SequenceEqual(triggers)) Variants.Add(new("... with row_data a constant '{}' (no json_object per row)", logDdl, constantRow, new("row"), new("row ratio")));
        else Notes.Add("The installed triggers log a reference (table, rowid), no row image; that variant is left out.");
        Variants.Add(new("... all three: a bare log insert per write", plainLog, bare, new("bare"), new("bare ratio")));

        var perBlock = Math.Max(1, options.CaptureTransactions * CaptureBenchmark.NormalFactor / CaptureBenchmark.Blocks);
        for (var round = 0; round < options.Warmup + options.Runs; round++)
        {
            var record = round >= options.Warmup;
            var clock = Stopwatch.StartNew();
            var files = Variants.Select((v, i) => Path.Combine(dir, $"variant{i}.db")).ToList();
            for (var i = 0; i < Variants.Count; i++)
            {
                Fixture.CopyDatabase(old, files[i]);
                Install(files[i], Variants[i]);
            }
            Fixture.Sync();
            SqliteConnection.ClearAllPools();
            var writers = files.Select(f => new CaptureBenchmark.RawWriter(writer, f, normal: true)).ToList();
            try
            {
                foreach (var w in writers)
                    for (var i = 0; i < options.CaptureWarmupTransactions * CaptureBenchmark.NormalFactor; i++) w.One();
                var time = new double[writers.Count];
                for (var block = 0; block < CaptureBenchmark.Blocks; block++)
                    for (var k = 0; k < writers.Count; k++)
                    {
                        var i = (k + block + round) % writers.Count;
                        var t = Stopwatch.StartNew();
                        for (var n = 0; n < perBlock; n++) writers[i].One();
                        time[i] += t.Elapsed.TotalSeconds;
                    }
                if (record)
                    for (var i = 0; i < Variants.Count; i++)
                    {
                        var rate = perBlock * CaptureBenchmark.Blocks / time[i];
                        Variants[i].Rate.Add(rate);
                        Variants[i].Ratio.Add(time[0] / time[i]);
                    }
            }
            finally
            {
                foreach (var w in writers) w.Dispose();
            }
            progress(string.Create(CultureInfo.InvariantCulture, $"capture cost: round {round + 1}/{options.Warmup + options.Runs}{(record ? "" : " (warm-up)")} in {clock.Elapsed.TotalSeconds:F1} s, load {Machine.LoadAverage()}"));
        }
        foreach (var f in Directory.GetFiles(dir)) File.Delete(f);
    }

    /// <summary>Replaces the capture triggers and the log table (emptied) with the variant's.</summary>
    private static void Install(string path, Variant v)
    {
        SqliteConnection.ClearAllPools();
        using var c = Fixture.Open(path);
        using var txn = c.BeginTransaction();
        var names = new List<string>();
        using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = txn;
            cmd.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '\\_mig\\_capture\\_%' ESCAPE '\\'";
            using var r = cmd.ExecuteReader();
            while (r.Read()) names.Add(r.GetString(0));
        }
        foreach (var n in names) Fixture.Exec(c, txn, $"DROP TRIGGER \"{n}\"");
        Fixture.Exec(c, txn, "DROP TABLE _migration_log");
        Fixture.Exec(c, txn, v.LogDdl);
        foreach (var t in v.Triggers) Fixture.Exec(c, txn, t);
        txn.Commit();
    }
}
