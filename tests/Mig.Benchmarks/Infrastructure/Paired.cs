using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace Mig.Benchmarks.Infrastructure;

/// <summary>
/// Paired, interleaved ratios, for a machine that is busy with other work
/// (BenchmarkDotNet measures one method after another, so load that comes and
/// goes between them skews their ratios). All contenders of one benchmark case
/// run in one process on one file, in rounds: each round runs every contender
/// for a fixed number of operations (about <see cref="BlockMilliseconds"/> ms),
/// in a rotating order, after a full GC. A contender's ratio in a round is its
/// time per operation over the baseline's in the same round; the table gives the
/// median over the rounds and the 25th-75th percentile range, which says how
/// much the load moved things.
/// </summary>
internal static class Paired
{
    private const int BlockMilliseconds = 25;
    private const int Rounds = 41;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1.5);

    public static string Run()
    {
        var cases = new (string Name, Func<BenchBase> Make)[]
        {
            ("Insert, 1 row per transaction", () => new InsertBenchmarks { RowsPerTransaction = 1 }),
            ("Insert, 1000 rows per transaction", () => new InsertBenchmarks { RowsPerTransaction = 1000 }),
            ("SelectOneBy, 1 query per transaction", () => new SelectOneBenchmarks { QueriesPerTransaction = 1 }),
            ("SelectOneBy, 1000 queries per transaction", () => new SelectOneBenchmarks { QueriesPerTransaction = 1000 }),
            ("SelectBy, 100 rows, 1 query per transaction", () => new SelectManyBenchmarks()),
            ("UpdateById, 1 row per transaction", () => new UpdateBenchmarks { UpdatesPerTransaction = 1 }),
            ("UpdateById, 1000 rows per transaction", () => new UpdateBenchmarks { UpdatesPerTransaction = 1000 }),
            ("Empty read transaction", () => new TransactionBenchmarks { Write = false }),
            ("Empty write transaction", () => new TransactionBenchmarks { Write = true }),
        };
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Paired, interleaved: {Rounds} rounds of about {BlockMilliseconds} ms per contender, after {WarmUp.TotalSeconds} s of warm-up each; load average before: {LoadAverage()}.");
        foreach (var (name, make) in cases)
        {
            var bench = make();
            bench.GlobalSetup();
            try
            {
                md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"### {name}").AppendLine();
                md.Append(Measure(bench));
            }
            finally
            {
                bench.GlobalCleanup();
            }
            Console.WriteLine($"paired: {name} done");
        }
        md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Load average after: {LoadAverage()}.");
        return md.ToString();
    }

    private static string Measure(BenchBase bench)
    {
        var contenders = bench.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<BenchmarkAttribute>()))
            .Where(x => x.Attribute is not null)
            .OrderBy(x => x.Attribute!.Baseline ? 0 : 1).ThenBy(x => x.Attribute!.SourceCodeLineNumber)
            .Select(x => (x.Method.Name, Run: Invoker(bench, x.Method)))
            .ToArray();

        // Warm-up (tiered JIT), then how many operations fill a block.
        var perBlock = new int[contenders.Length];
        for (var c = 0; c < contenders.Length; c++)
        {
            var sw = Stopwatch.StartNew();
            var n = 0;
            while (sw.Elapsed < WarmUp) { contenders[c].Run(); n++; }
            perBlock[c] = Math.Max(1, (int)(n * BlockMilliseconds / WarmUp.TotalMilliseconds));
        }

        var perOp = new double[contenders.Length, Rounds];
        for (var r = 0; r < Rounds; r++)
        {
            for (var k = 0; k < contenders.Length; k++)
            {
                var c = (r + k) % contenders.Length;
                GC.Collect();
                var run = contenders[c].Run;
                var n = perBlock[c];
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < n; i++) run();
                perOp[c, r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / n;
            }
        }

        var md = new StringBuilder();
        md.AppendLine("| Method | Median per op | Paired ratio (median) | Ratio, 25th-75th percentile |");
        md.AppendLine("|---|---:|---:|---:|");
        for (var c = 0; c < contenders.Length; c++)
        {
            var times = Enumerable.Range(0, Rounds).Select(r => perOp[c, r]).ToArray();
            var ratios = Enumerable.Range(0, Rounds).Select(r => perOp[c, r] / perOp[0, r]).ToArray();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {contenders[c].Name} | {Format(Percentile(times, 0.5))} | {Percentile(ratios, 0.5):0.00} | {Percentile(ratios, 0.25):0.00}-{Percentile(ratios, 0.75):0.00} |");
        }
        return md.ToString();
    }

    // A compiled call of the benchmark method; Task results are waited for (they complete synchronously).
    private static Action Invoker(BenchBase bench, MethodInfo method)
    {
        Expression call = Expression.Call(Expression.Constant(bench), method);
        if (typeof(Task).IsAssignableFrom(method.ReturnType))
            call = Expression.Call(typeof(Paired).GetMethod(nameof(Wait), BindingFlags.NonPublic | BindingFlags.Static)!, call);
        return Expression.Lambda<Action>(call).Compile();
    }

    private static void Wait(Task task) => task.GetAwaiter().GetResult();

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        var x = p * (sorted.Length - 1);
        var i = (int)x;
        return i + 1 < sorted.Length ? sorted[i] + (x - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
    }

    private static string Format(double microseconds) => microseconds >= 1000
        ? (microseconds / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " ms"
        : microseconds.ToString("0.00", CultureInfo.InvariantCulture) + " μs";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
