using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace Mig.Benchmarks.Infrastructure;

/// <summary>
/// Paired, interleaved ratios, for a machine that is busy with other work
/// (BenchmarkDotNet measures one method after another, so load that comes and
/// goes between them skews their ratios). All contenders of one benchmark case
/// run in one process on one file, in rounds: each round runs every contender
/// for a fixed number of operations (about <see cref="BlockMilliseconds"/> ms),
/// in a random order, after a full GC. A contender's ratio in a round is its
/// time per operation over the baseline's in the same round; the table gives the
/// median over the rounds and the 25th-75th percentile range, which says how
/// much the load moved things. Each block is timed twice: wall-clock, and the
/// CPU time of the measuring thread (CLOCK_THREAD_CPUTIME_ID; everything runs
/// synchronously on it). CPU time leaves out the time the thread waits, both for
/// the disk (a commit's sync) and for a core the other processes hold, so its
/// ratios measure what the contenders themselves compute, and stay steady on a
/// loaded machine.
/// </summary>
internal static class Paired
{
    private const int BlockMilliseconds = 25;
    private const int Rounds = 41;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1.5);

    public static string Run(string? only = null)
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
            ("Pieces of a generated call, per call (100,000 calls per op)", () => new OverheadBenchmarks()),
            ("CountBy, 100 of 10,000 rows, 1 count per transaction", () => new CountByBenchmarks()),
            ("SelectPage, 100 rows after a key, 1 page per transaction", () => new SelectPageBenchmarks()),
            ("SelectRange, 200 rows, 1 range per transaction", () => new SelectRangeBenchmarks()),
            ("SelectIn, 100 ids, 1 list per transaction", () => new SelectInBenchmarks()),
            ("InsertMany, 1000 rows per transaction", () => new InsertManyBenchmarks()),
        };
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Paired, interleaved: {Rounds} rounds of about {BlockMilliseconds} ms per contender, after {WarmUp.TotalSeconds} s of warm-up each; load average before: {LoadAverage()}.");
        md.AppendLine("Ratios are medians of per-round ratios to the baseline (AdoNet) of the same round; CPU is the measuring thread's CPU time (no disk or run-queue waits).");
        foreach (var (name, make) in cases.Where(x => only is null || x.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
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
            .Select(x => (x.Method.Name, Run: Invoker(bench, x.Method), PerInvoke: x.Attribute!.OperationsPerInvoke))
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
        var cpuPerOp = new double[contenders.Length, Rounds];
        var shuffle = new Random(12345);
        for (var r = 0; r < Rounds; r++)
        {
            // A fresh random order each round, so no contender always follows the same one.
            var order = Enumerable.Range(0, contenders.Length).ToArray();
            shuffle.Shuffle(order);
            foreach (var c in order)
            {
                GC.Collect();
                var run = contenders[c].Run;
                var n = perBlock[c];
                var cpu = ThreadCpuNanoseconds();
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < n; i++) run();
                perOp[c, r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / n / contenders[c].PerInvoke;
                cpuPerOp[c, r] = (ThreadCpuNanoseconds() - cpu) / 1000.0 / n / contenders[c].PerInvoke;
            }
        }

        var md = new StringBuilder();
        md.AppendLine("| Method | Wall per op | Wall ratio | Wall ratio, p25-p75 | CPU per op | CPU ratio | CPU ratio, p25-p75 |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        for (var c = 0; c < contenders.Length; c++)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {contenders[c].Name} | {Columns(perOp, c)} | {Columns(cpuPerOp, c)} |");
        }
        return md.ToString();
    }

    // Median per op, median paired ratio to the baseline (index 0), and that ratio's 25th-75th percentiles.
    private static string Columns(double[,] perOp, int c)
    {
        var times = Enumerable.Range(0, Rounds).Select(r => perOp[c, r]).ToArray();
        var ratios = Enumerable.Range(0, Rounds).Select(r => perOp[c, r] / perOp[0, r]).ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"{Format(Percentile(times, 0.5))} | {Percentile(ratios, 0.5):0.00} | {Percentile(ratios, 0.25):0.00}-{Percentile(ratios, 0.75):0.00}");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clock, out Timespec time);

    private const int ClockThreadCpuTimeId = 3;

    private static long ThreadCpuNanoseconds()
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var t) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
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

    private static string Format(double microseconds) => microseconds switch
    {
        >= 1000 => (microseconds / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " ms",
        >= 1 => microseconds.ToString("0.00", CultureInfo.InvariantCulture) + " μs",
        _ => (microseconds * 1000).ToString("0.0", CultureInfo.InvariantCulture) + " ns",
    };

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
