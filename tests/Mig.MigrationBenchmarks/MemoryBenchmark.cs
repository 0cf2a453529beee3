using System.Globalization;
using Mig.Migration;
using Mig.Schema;

namespace Mig.MigrationBenchmarks;

/// <summary>
/// Benchmark 1b: peak memory of an offline migration at two sizes. Each measurement is a
/// child process of its own (this program, verb <c>memory-child</c>), so one size's
/// peak never hides in another's. The child loads the model, resets the kernel's peak
/// resident set (VmHWM) to the current one, migrates, and reports VmHWM, which
/// therefore covers the migration only, on top of the runtime already loaded. The
/// sqlite3 floor's peak (GNU time's maximum RSS) is measured beside it.
/// </summary>
internal sealed class MemoryBenchmark(Options options, Schema v2, IReadOnlyList<(Sizes Sizes, string Source)> sources, Action<string> progress)
{
    public sealed record Sample(long Rows, Series Peak, Series Before, Series Allocated, Series ShellPeak);

    public List<Sample> Samples { get; } = [];

    public void Run()
    {
        var dir = Path.Combine(options.Work, "memory");
        Directory.CreateDirectory(dir);
        var model = Path.Combine(dir, "v2.model.json");
        File.WriteAllText(model, SchemaModelJson.Serialize(v2.Model));
        foreach (var (sizes, source) in sources)
        {
            var s = new Sample(sizes.Total, new("peak"), new("before"), new("allocated"), new("sqlite3 peak"));
            for (var run = 0; run < options.MemoryRuns; run++)
            {
                var old = Path.Combine(dir, "old.db");
                var @new = Path.Combine(dir, "new.db");
                Fixture.Delete(@new);
                Fixture.CopyDatabase(source, old);
                var self = typeof(MemoryBenchmark).Assembly.Location;
                var host = Environment.ProcessPath!;
                var (code, output) = Fixture.RunProcess(host, [self, "memory-child", old, @new, model, v2.Hash], null);
                var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("MEMORY ", StringComparison.Ordinal));
                if (code != 0 || line is null) throw new InvalidOperationException("memory child failed: " + output);
                var f = line.Split(' ').Skip(1).Select(p => p.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
                s.Peak.Add(f["hwm"]);
                s.Before.Add(f["rss_before"]);
                s.Allocated.Add(f["allocated"]);

                // The floor's own peak, same rows, same statements (GNU time reports KB).
                Fixture.Delete(@new);
                Fixture.CopyDatabase(source, old);
                using (var c = Fixture.Open(@new))
                    foreach (var t in v2.Model.Tables) Fixture.Exec(c, null, Mig.Sql.Ddl.CreateTable(t));
                var script = $"ATTACH DATABASE {Fixture.Quote(old)} AS old;\nBEGIN;\n{string.Join(";\n", Mapping.Tables.Select(Mapping.CopySql))};\nCOMMIT;\n" +
                             string.Concat(v2.Model.Tables.SelectMany(t => t.Indexes.Select(ix => Mig.Sql.Ddl.CreateIndex(t, ix) + ";\n")));
                var (shellCode, shellOut) = Fixture.RunProcess("/usr/bin/time", ["-f", "MAXRSS %M", Fixture.Sqlite3, @new], script);
                var rss = shellOut.Split('\n').FirstOrDefault(l => l.StartsWith("MAXRSS ", StringComparison.Ordinal));
                if (shellCode == 0 && rss is not null) s.ShellPeak.Add(long.Parse(rss[7..].Trim(), CultureInfo.InvariantCulture) * 1024);
            }
            Samples.Add(s);
            progress($"memory: {Fmt.N(sizes.Total)} rows: Mig peak {Fmt.Mb(s.Peak.Median)} (resident before {Fmt.Mb(s.Before.Median)}), sqlite3 {Fmt.Mb(s.ShellPeak.Median)}");
        }
        foreach (var f in Directory.GetFiles(dir)) File.Delete(f);
    }

    /// <summary>The child: one offline migration, then one line with its memory facts.</summary>
    public static int Child(string[] args)
    {
        var (old, @new, modelPath, hash) = (args[1], args[2], args[3], args[4]);
        var model = SchemaModelJson.Deserialize(File.ReadAllText(modelPath));
        // Only the model is loaded before the peak is reset: the first migration in a
        // process is the real case (the tool process behind MigMigrate runs one).
        GC.Collect();
        var before = Machine.ProcStatusBytes("VmRSS");
        var reset = Machine.ResetPeak();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        new Migrator(model, hash, old, @new, _ => { }).Migrate(offline: true, allowDataLoss: false);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var hwm = Machine.ProcStatusBytes("VmHWM");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MEMORY hwm={hwm} rss_before={before} allocated={allocated} reset={(reset ? 1 : 0)} peak_working_set={System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64}"));
        return 0;
    }
}
