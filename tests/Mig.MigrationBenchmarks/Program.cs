using System.Diagnostics;
using System.Globalization;
using Mig.MigrationBenchmarks;

// dotnet Mig.MigrationBenchmarks.dll [--rows N] [--memory-rows N,N] [--runs N] [--warmup N] [--memory-runs N]
//        [--drain-writes N] [--capture-transactions N] [--probe-runs N] [--window-backlogs N,N] [--window-runs N] [--window-record-rate N]
//        [--only copy,live,memory,drain,window,capture,capture-cost] [--work DIR] [--out FILE]
// Writes the markdown report to --out (default artifacts/benchmarks/migration.md under the current directory).
if (args is ["memory-child", ..]) return MemoryBenchmark.Child(args);

var options = Options.Parse(args);
var total = Stopwatch.StartNew();
void Progress(string line) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{total.Elapsed.TotalSeconds,6:F1} s] {line}"));

Directory.CreateDirectory(options.Work);
var loadBefore = Machine.LoadAverage();
Progress($"work directory {options.Work}; load average {loadBefore}");
var schemaDir = Path.Combine(AppContext.BaseDirectory, "Schemas");
var v1 = Fixture.Compile(Path.Combine(schemaDir, "V1.cs"), options.Work);
var v2 = Fixture.Compile(Path.Combine(schemaDir, "V2.cs"), options.Work);
Progress($"schemas compiled: v1 {v1.Hash}, v2 {v2.Hash}");

var sources = new Dictionary<long, string>();
string Source(long rows)
{
    if (sources.TryGetValue(rows, out var path)) return path;
    path = Path.Combine(options.Work, $"v1-{rows}.db");
    var clock = Stopwatch.StartNew();
    Fixture.CreateV1(v1, path, Sizes.For(rows));
    Progress(string.Create(CultureInfo.InvariantCulture, $"v1 database of {rows:N0} rows ({Sizes.For(rows)}) made in {clock.Elapsed.TotalSeconds:F1} s: {new FileInfo(path).Length / 1048576.0:F0} MB"));
    sources[rows] = path;
    return path;
}

var sizes = Sizes.For(options.Rows);
CopyBenchmark? copy = null;
MemoryBenchmark? memory = null;
DrainBenchmark? drain = null;
CaptureBenchmark? capture = null;
if (options.Includes("copy"))
{
    copy = new CopyBenchmark(options, v2, Source(options.Rows), sizes, Progress);
    copy.Run();
}
LiveWriterProbe? live = null;
if (options.Includes("live"))
{
    live = new LiveWriterProbe(options, v2, Source(options.Rows), sizes, Progress);
    live.Run();
}
if (options.Includes("memory"))
{
    memory = new MemoryBenchmark(options, v2, [.. options.MemoryRows.Select(r => (Sizes.For(r), Source(r)))], Progress);
    memory.Run();
}
if (options.Includes("drain"))
{
    drain = new DrainBenchmark(options, v2, Source(options.Rows), sizes, Progress);
    drain.Run();
}
PauseWindowBenchmark? window = null;
if (options.Includes("window"))
{
    window = new PauseWindowBenchmark(options, v2, Source(options.Rows), sizes, Progress);
    window.Run();
}
if (options.Includes("capture"))
{
    capture = new CaptureBenchmark(options, v2, Source(options.Rows), sizes, Progress);
    capture.Run();
}
CaptureCostBenchmark? captureCost = null;
if (options.Includes("capture-cost"))
{
    captureCost = new CaptureCostBenchmark(options, v2, Source(options.Rows), new CaptureBenchmark(options, v2, Source(options.Rows), sizes, Progress), Progress);
    captureCost.Run();
}
foreach (var path in sources.Values) Fixture.Delete(path);

var report = Report.Write(options, sizes, loadBefore, Machine.LoadAverage(), total.Elapsed, copy, live, memory, drain, window, capture, captureCost);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Out))!);
File.WriteAllText(options.Out, report);
Console.WriteLine();
Console.WriteLine(report);
foreach (var line in Report.Headline(copy, window)) Progress(line);
Progress($"report written to {Path.GetFullPath(options.Out)}");
return 0;

namespace Mig.MigrationBenchmarks
{
    internal sealed class Options
    {
        public long Rows { get; private set; } = 1_000_000;
        public IReadOnlyList<long> MemoryRows { get; private set; } = [250_000, 1_000_000];
        public int Runs { get; private set; } = 5;
        public int Warmup { get; private set; } = 1;
        public int MemoryRuns { get; private set; } = 3;
        public int DrainWrites { get; private set; } = 10_000;
        public IReadOnlyList<long> WindowBacklogs { get; private set; } = [10_000, 500_000];
        public int WindowRuns { get; private set; } = 3;
        public double WindowRecordRate { get; private set; } = 20_000;
        public int CaptureTransactions { get; private set; } = 800;
        public int CaptureWarmupTransactions { get; private set; } = 100;
        public int ProbeRuns { get; private set; } = 3;
        public double ProbeBaselineSeconds { get; private set; } = 3;
        public string Work { get; private set; } = Path.GetFullPath("artifacts/benchmarks/migration-work");
        public string Out { get; private set; } = Path.GetFullPath("artifacts/benchmarks/migration.md");
        public IReadOnlySet<string> Only { get; private set; } = new HashSet<string>(["copy", "live", "memory", "drain", "window", "capture", "capture-cost"], StringComparer.Ordinal);
        public IReadOnlyList<string> Arguments { get; private set; } = [];

        public bool Includes(string benchmark) => Only.Contains(benchmark);

        public static Options Parse(string[] args)
        {
            // The report shows the options that change what is measured, not where files go.
            var shown = new List<string>();
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i] is "--work" or "--out") { i++; continue; }
                shown.Add(args[i]);
            }
            var o = new Options { Arguments = shown };
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--rows": o.Rows = long.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--memory-rows": o.MemoryRows = [.. Value().Split(',').Select(v => long.Parse(v, CultureInfo.InvariantCulture))]; break;
                    case "--runs": o.Runs = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--warmup": o.Warmup = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--memory-runs": o.MemoryRuns = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--drain-writes": o.DrainWrites = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--window-backlogs": o.WindowBacklogs = [.. Value().Split(',').Select(v => long.Parse(v, CultureInfo.InvariantCulture))]; break;
                    case "--window-runs": o.WindowRuns = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--window-record-rate": o.WindowRecordRate = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--capture-transactions": o.CaptureTransactions = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--probe-runs": o.ProbeRuns = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    case "--work": o.Work = Path.GetFullPath(Value()); break;
                    case "--out": o.Out = Path.GetFullPath(Value()); break;
                    case "--only": o.Only = new HashSet<string>(Value().Split(','), StringComparer.Ordinal); break;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
            }
            return o;
        }
    }
}
