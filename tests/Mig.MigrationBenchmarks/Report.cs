using System.Globalization;
using System.Text;

namespace Mig.MigrationBenchmarks;

/// <summary>
/// The markdown results. Every headline is a ratio against a baseline measured in the
/// same run; absolute numbers stand beside it. Speed ratios are baseline time / Mig
/// time (1.00 = as fast as the baseline, 0.50 = half its speed).
/// </summary>
internal static class Report
{
    public static string Write(Options o, Sizes sizes, string loadBefore, string loadAfter, TimeSpan elapsed,
        CopyBenchmark? copy, LiveWriterProbe? live, MemoryBenchmark? memory, DrainBenchmark? drain, PauseWindowBenchmark? window, CaptureBenchmark? capture, CaptureCostBenchmark? captureCost)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Mig hot-migration benchmarks ({DateTime.UtcNow:yyyy-MM-dd HH:mm}Z, {Git("rev-parse --short HEAD")})");
        md.AppendLine();
        md.AppendLine("Reproduce: `bash eng/bench-migration.sh`" + (o.Arguments.Count > 0 ? $" (this run: `{string.Join(' ', o.Arguments)}`)" : ""));
        md.AppendLine();
        var dirtyFiles = Git("status --porcelain -- Mig.Core Mig.Tasks").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[2..].Trim()).ToList();
        var dirty = dirtyFiles.Count;
        md.Append(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {loadBefore} before and {loadAfter} after; ");
        md.Append(CultureInfo.InvariantCulture, $"{o.Warmup} warm-up round + {o.Runs} measured rounds per benchmark, medians; contenders interleaved in rotating order each round; whole run {elapsed.TotalMinutes:F1} min.");
        md.AppendLine(dirty > 0 ? $" Built from a working tree with uncommitted changes under Mig.Core/Mig.Tasks: {string.Join(", ", dirtyFiles)}." : "");
        if (copy is not null) md.AppendLine(CultureInfo.InvariantCulture, $"SQLite: sqlite3 shell {copy.ShellVersion}, Microsoft.Data.Sqlite's bundled library (Mig's) {copy.LibraryVersion}.");
        md.Append(CultureInfo.InvariantCulture, $"Data: {Fmt.N(sizes.Total)} rows = {Fmt.N(sizes.Customers)} customer -> {Fmt.N(sizes.Orders)} customer_order -> {Fmt.N(sizes.Lines)} order_line, ");
        md.AppendLine("an index on each foreign key and on customer.email; v2 renames a column in two tables ([RenamedFrom]) and adds a [Default] column to all three.");
        md.AppendLine("Ratios: speed ratio = baseline time / Mig time (1.00 = as fast as the baseline); throughput ratio = on / off. Spread = (max - min) / median of the measured rounds.");
        md.AppendLine();

        md.AppendLine("## Summary");
        md.AppendLine();
        var summary = new Table("Benchmark", "Mig (median)", "Baseline (median)", "Ratio", "Goal", "Met");
        if (copy is not null)
        {
            Speed(summary, $"Copy {Fmt.N(sizes.Total)} rows, offline", copy.Offline, copy.Shell, copy.PerRound(copy.Offline), "sqlite3 floor");
            Speed(summary, $"Copy {Fmt.N(sizes.Total)} rows, online (capture install + copy)", copy.Online, copy.Shell, copy.PerRound(copy.Online), "sqlite3 floor");
            Speed(summary, $"Copy {Fmt.N(sizes.Total)} rows, offline, record transfer off (what tables whose values change get; for comparison)", copy.OfflineOrdinary, copy.Shell, copy.PerRound(copy.OfflineOrdinary), "sqlite3 floor");
        }
        if (live is not null)
        {
            var ok = live.DuringMax.Median < 1 && live.DuringFailed.Max == 0;
            summary.Row("Longest write of a live MigDatabase writer, during online Migrate vs without",
                Fmt.S(live.DuringMax.Median), Fmt.S(live.BaselineMax.Median) + " (no migration)", Fmt.R(live.DuringMax.Median / live.BaselineMax.Median) + " (stall ratio)",
                "the copy blocks no writer (here: no write over 1 s, none failed)", ok ? "yes" : $"no ({Fmt.N(live.DuringFailed.Median)} failed)");
        }
        if (memory is { Samples.Count: >= 2 })
        {
            var (small, large) = (memory.Samples[0], memory.Samples[^1]);
            var ratio = large.Peak.Median / small.Peak.Median;
            summary.Row($"Peak memory of an offline migration, {Fmt.N(large.Rows)} vs {Fmt.N(small.Rows)} rows",
                Fmt.Mb(large.Peak.Median), Fmt.Mb(small.Peak.Median), Fmt.R(ratio) + " (peak ratio)",
                "does not grow with rows", ratio < 1.15 ? "yes" : "no");
        }
        if (drain is not null)
        {
            foreach (var (series, win, name) in new[] { (drain.Grouped, drain.GroupedWindow, "grouped per transaction"), (drain.Foreign, drain.ForeignWindow, "foreign writer, one txn_id") })
            {
                var r = drain.Floor.Median / series.Median;
                summary.Row($"Drain {Fmt.N(drain.Pending)} pending writes ({name})",
                    $"{Fmt.S(series.Median)} (window {Fmt.S(win.Median)})", $"{Fmt.S(drain.Floor.Median)} (sqlite3 set-based replay)",
                    Fmt.R(r) + " (speed)", "window < 1 s", win.Median < 1 ? "yes" : "no");
            }
            if (drain.Cutover.Values.Count > 0)
                summary.Row($"Cutover after the drain (verify every row, then ready); writes stay refused",
                    Fmt.S(drain.Cutover.Median), $"{Fmt.S(drain.CutoverInProcess.Median)} (EXCEPT both ways + FK anti-joins, same library)",
                    Fmt.R(drain.CutoverInProcess.Median / drain.Cutover.Median) + " (speed)", "reported (no goal)", "-");
        }
        if (window is { Backlogs.Count: >= 2 })
        {
            var (small, large) = (window.Window[window.Backlogs[0]], window.Window[window.Backlogs[^1]]);
            var met = large.Median < 0.25 && large.Median <= 2 * small.Median;
            summary.Row($"Write-unavailable window of MigDrain, {Fmt.N(window.Backlogs[^1])}-entry backlog with a live writer (from outside: first refused write to drain complete)",
                Fmt.Ms(large.Median), $"{Fmt.Ms(small.Median)} ({Fmt.N(window.Backlogs[0])}-entry backlog)", Fmt.R(large.Median / small.Median) + " (window ratio)",
                "< 0.25 s and <= 2x", met ? "yes" : "no");
        }
        if (capture is not null)
        {
            Throughput(summary, "Capture on/off, MigDatabase.WriteAsync (insert + update per txn)", capture.Mig);
            Throughput(summary, "Capture on/off, raw connection (insert + update per txn)", capture.Raw);
            Throughput(summary, "Capture on/off, raw connection, synchronous NORMAL (no fsync per commit)", capture.Normal);
        }
        md.Append(summary);
        md.AppendLine();

        if (copy is not null) CopySection(md, copy, sizes);
        if (live is not null) LiveSection(md, live);
        if (memory is not null) MemorySection(md, memory);
        if (drain is not null) DrainSection(md, drain);
        if (window is not null) WindowSection(md, window);
        if (capture is not null) CaptureSection(md, o, capture);
        if (captureCost is not null) CaptureCostSection(md, o, captureCost);
        return md.ToString();
    }

    /// <summary>The copy's goal (issue 11): at least 1.2x the sqlite3 shell, as the median of the per-round ratios.</summary>
    public const double CopyGoal = 1.2;

    private static void Speed(Table t, string name, Series mig, Series floor, Series perRound, string baseline)
    {
        var r = perRound.Median;
        t.Row(name, Fmt.S(mig.Median), $"{Fmt.S(floor.Median)} ({baseline})",
            $"{Fmt.R(r)} (speed, median of per-round ratios {string.Join(" ", perRound.Values.Select(Fmt.R))})", $">= {Fmt.R(CopyGoal)}", r >= CopyGoal ? "yes" : "no");
    }

    /// <summary>The three numbers issue 11 asks one run for: the copy's ratio to the shell and the drain's pause window at both backlog sizes.</summary>
    public static IEnumerable<string> Headline(CopyBenchmark? copy, PauseWindowBenchmark? window)
    {
        if (copy is not null)
            foreach (var (name, s) in new[] { ("offline", copy.Offline), ("online", copy.Online), ("offline, record transfer off", copy.OfflineOrdinary) })
            {
                var r = copy.PerRound(s);
                var goal = ReferenceEquals(s, copy.OfflineOrdinary) ? "for comparison: every table copied value by value" : $"goal >= {Fmt.R(CopyGoal)}";
                yield return $"copy ratio to the sqlite3 shell ({name}): median {Fmt.R(r.Median)} per round [{string.Join(" ", r.Values.Select(Fmt.R))}], {goal}";
            }
        if (window is not null)
            foreach (var b in window.Backlogs)
                yield return $"drain pause window, {Fmt.N(b)}-entry backlog: median {Fmt.Ms(window.Window[b].Median)}";
    }

    private static void Throughput(Table t, string name, CaptureBenchmark.WritePath p)
    {
        var r = p.Ratio.Median;
        t.Row(name, $"{Fmt.N(p.On.Median)} txn/s (on)", $"{Fmt.N(p.Off.Median)} txn/s (off)", Fmt.R(r) + " (on/off, paired)", ">= 0.60", r >= 0.6 ? "yes" : "no");
    }

    private static void CopySection(StringBuilder md, CopyBenchmark copy, Sizes sizes)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"## 1. Copy ({Fmt.N(sizes.Total)} rows)");
        md.AppendLine();
        var t = new Table("Contender", "Median", "Min", "Max", "Spread", "Rows/s", "Speed vs sqlite3 floor (medians)", "Per round (median)");
        foreach (var s in new[] { copy.Shell, copy.Ado, copy.AdoChunked, copy.AdoUnsynced, copy.AdoBigCache, copy.Offline, copy.Online, copy.OfflineOrdinary })
            t.Row(s.Name, Fmt.S(s.Median), Fmt.S(s.Min), Fmt.S(s.Max), Fmt.Pct(s.Spread), Fmt.N(sizes.Total / s.Median), Fmt.R(copy.Shell.Median / s.Median), Fmt.R(copy.PerRound(s).Median));
        md.Append(t);
        md.AppendLine();
        md.AppendLine("Per round = the contender's speed ratio to the shell floor in the same round (both on fresh copies of the same file), median over rounds: load that hits a whole round cancels out.");
        md.AppendLine();
        md.AppendLine("Where the time goes (medians of each step; the floors from per-statement timers, Mig from the timestamps of its log lines):");
        md.AppendLine();
        Breakdown(md, "sqlite3 shell floor (`.timer on`)", copy.ShellSteps);
        Breakdown(md, "Same SQL in-process (Microsoft.Data.Sqlite)", copy.AdoSteps);
        Breakdown(md, "Same SQL in-process, in rowid ranges of 50,000 (Copier's loop)", copy.AdoChunkedSteps);
        Breakdown(md, "Steps Mig does beyond the floor, timed alone on the floor's files (not in the floor's total)", copy.AdoExtras);
        Breakdown(md, "Mig offline", copy.OfflinePhases);
        Breakdown(md, "Mig online", copy.OnlinePhases);
        md.AppendLine("Checks after the last round:");
        md.AppendLine();
        foreach (var c in copy.Checks) md.AppendLine("- " + c);
        md.AppendLine();
    }

    private static void Breakdown(StringBuilder md, string title, Steps steps)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"{title}:");
        md.AppendLine();
        var t = new Table("Step", "Median", "Min", "Max");
        foreach (var s in steps.All) t.Row(s.Name, Fmt.Ms(s.Median), Fmt.Ms(s.Min), Fmt.Ms(s.Max));
        md.Append(t);
        md.AppendLine();
    }

    private static void LiveSection(StringBuilder md, LiveWriterProbe live)
    {
        md.AppendLine("## 1c. A live writer during the online copy");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"A thread writes through `MigDatabase.WriteAsync` (one order_line insert + one customer update, default 5 s busy timeout) every {Fmt.Ms(LiveWriterProbe.PaceSeconds)}, first with no migration, then while `Migrate(offline: false)` runs on the same file. {live.BaselineMax.Values.Count} runs, medians.");
        md.AppendLine();
        var t = new Table("Period", "Duration", "Committed writes", "Failed writes", "Longest write (lock wait included)");
        t.Row("no migration (baseline)", "-", Fmt.N(live.BaselineCommitted.Median), "0", Fmt.S(live.BaselineMax.Median));
        t.Row("during online Migrate", Fmt.S(live.Migrate.Median), Fmt.N(live.DuringCommitted.Median), $"{Fmt.N(live.DuringFailed.Median)} (max {Fmt.N(live.DuringFailed.Max)})", Fmt.S(live.DuringMax.Median));
        md.Append(t);
        md.AppendLine();
        if (live.FirstFailure is not null) md.AppendLine($"First failure: `{live.FirstFailure}`").AppendLine();
    }

    private static void MemorySection(StringBuilder md, MemoryBenchmark memory)
    {
        md.AppendLine("## 1b. Peak memory of an offline migration");
        md.AppendLine();
        md.AppendLine("One child process per measurement: it loads the model, resets the kernel's peak resident set (VmHWM) to the current one, runs `Migrate(offline: true)` and reports VmHWM. The sqlite3 floor's peak is GNU time's maximum RSS for the same copy.");
        md.AppendLine();
        var t = new Table("Rows", "Mig peak RSS (VmHWM)", "Resident before migrating", "Peak - before", "Managed bytes allocated", "sqlite3 floor peak RSS");
        foreach (var s in memory.Samples)
            t.Row(Fmt.N(s.Rows), Fmt.Mb(s.Peak.Median), Fmt.Mb(s.Before.Median), Fmt.Mb(s.Peak.Median - s.Before.Median), Fmt.Mb(s.Allocated.Median), Fmt.Mb(s.ShellPeak.Median));
        md.Append(t);
        md.AppendLine();
    }

    private static void DrainSection(StringBuilder md, DrainBenchmark drain)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"## 2. Drain ({Fmt.N(drain.Pending)} pending captured writes)");
        md.AppendLine();
        md.Append(CultureInfo.InvariantCulture, $"Pending writes made through a raw connection after an online Migrate, 10 log entries per transaction (5 inserts, 3 updates, 2 deletes over the three tables), at a median {Fmt.N(drain.WriteRate.Median)} txn/s (setup, synchronous OFF). ");
        md.AppendLine("Window = from the log line that follows the commit of the 'draining' marker to the end of Drain (writes are refused throughout). Replay = from the start of Drain to its last replay progress line (Drain catches up without pausing, then pauses for the tail; the lock and checks are included). Entries/s = pending entries / replay time.");
        md.AppendLine();
        var t = new Table("Contender", "Drain total (median)", "Min", "Max", "Write-unavailable window", "Replay", "Entries/s (replay)", "Speed vs floor");
        t.Row(drain.Floor.Name, Fmt.S(drain.Floor.Median), Fmt.S(drain.Floor.Min), Fmt.S(drain.Floor.Max), "-", "-", Fmt.N(drain.Pending / drain.Floor.Median) + " (whole run)", "1.00");
        foreach (var (s, w, r) in new[] { (drain.Grouped, drain.GroupedWindow, drain.GroupedReplay), (drain.Foreign, drain.ForeignWindow, drain.ForeignReplay) })
            t.Row(s.Name, Fmt.S(s.Median), Fmt.S(s.Min), Fmt.S(s.Max), Fmt.S(w.Median), Fmt.S(r.Median), Fmt.N(drain.Pending / r.Median), Fmt.R(drain.Floor.Median / s.Median));
        md.Append(t);
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Before the window (lock, phase checks, BEGIN IMMEDIATE + marker + guard triggers), grouped: median {Fmt.Ms(drain.GroupedBeforeDraining.Median)}.");
        md.AppendLine();
        if (drain.Cutover.Values.Count > 0)
        {
            md.AppendLine("Writes stay refused after the drain until traffic moves to the new service, so MigCutover is part of what the old service's writers wait through. " +
                          "Mig's cutover re-plans against the old file (row counts, loss and duplicate-key scans), compares every copied column of every row both ways, checks each foreign key, then marks the file ready; " +
                          "the floor is the comparison alone (EXCEPT both ways per table and one anti-join per foreign key) on the same data, run in-process on the SQLite library Mig uses; the sqlite3 shell (an older SQLite) runs the same SQL for reference.");
            md.AppendLine();
            var c = new Table("Contender", "Median", "Min", "Max", "Speed vs floor");
            foreach (var s in new[] { drain.CutoverInProcess, drain.CutoverFloor, drain.Cutover })
                c.Row(s.Name, Fmt.S(s.Median), Fmt.S(s.Min), Fmt.S(s.Max), Fmt.R(drain.CutoverInProcess.Median / s.Median));
            md.Append(c);
            md.AppendLine();
        }
        md.AppendLine("Checks after the last round:");
        md.AppendLine();
        foreach (var c in drain.Checks) md.AppendLine("- " + c);
        md.AppendLine();
    }

    private static void WindowSection(StringBuilder md, PauseWindowBenchmark window)
    {
        md.AppendLine("## 2b. The write pause against the backlog");
        md.AppendLine();
        md.AppendLine("Per backlog size: an online Migrate, then a writer of the old service (its own connection) records the backlog at a steady rate (10 log entries per transaction), then keeps writing one-entry transactions every 2 ms while MigDrain runs (it catches up without pausing, then pauses for the tail). " +
                      "Window = from the start of the writer's first refused write to the return of Drain (drain complete), measured by the writer's clock. Longest write = the slowest successful live write during the drain (what the catch-up's log trimming costs a writer). Every round is verified afterwards.");
        md.AppendLine();
        var t = new Table("Backlog (entries)", "Window (median)", "Min", "Max", "Drain total (median)", "Recorded at (entries/s)", "Longest live write", "Live writes during the drain");
        foreach (var b in window.Backlogs)
            t.Row(Fmt.N(b), Fmt.Ms(window.Window[b].Median), Fmt.Ms(window.Window[b].Min), Fmt.Ms(window.Window[b].Max), Fmt.S(window.DrainTotal[b].Median),
                Fmt.N(window.RecordRate[b].Median), Fmt.Ms(window.LongestWrite[b].Median), Fmt.N(window.LiveWrites[b].Median));
        md.Append(t);
        md.AppendLine();
        if (window.Backlogs.Count >= 2)
        {
            var (small, large) = (window.Window[window.Backlogs[0]].Median, window.Window[window.Backlogs[^1]].Median);
            md.AppendLine(CultureInfo.InvariantCulture, $"Window of the largest backlog / the smallest: {Fmt.R(large / small)} (goal: under 0.25 s and at most 2).");
            md.AppendLine();
        }
        md.AppendLine("Checks:");
        md.AppendLine();
        foreach (var c in window.Checks) md.AppendLine("- " + c);
        md.AppendLine();
    }

    private static void CaptureSection(StringBuilder md, Options o, CaptureBenchmark capture)
    {
        md.AppendLine("## 3. Capture overhead on writers");
        md.AppendLine();
        md.Append(CultureInfo.InvariantCulture, $"Two copies of the v1 file per round, one as served (off), one after an online Migrate (on: marker 'recording'). Per path {Fmt.N(o.CaptureTransactions)} sequential write transactions on each (after {Fmt.N(o.CaptureWarmupTransactions)} unmeasured), in {CaptureBenchmark.Blocks} blocks that alternate between the two files, so each round gives a paired on/off ratio; the ratio column is the median of those. ");
        md.Append("Each transaction: one order_line insert + one customer_order update; WAL, synchronous FULL (the default) unless stated, foreign keys on. ");
        md.AppendLine(CultureInfo.InvariantCulture, $"With capture on each transaction appends 2 log rows (which table, which rowid: never the values) of about {Fmt.N(capture.LogBytesPerTxn.Median)} bytes together, and MigDatabase also bumps txn_seq.");
        md.AppendLine();
        var t = new Table("Path", "Off (txn/s)", "On (txn/s)", "On/off (paired, median)", "On/off min", "On/off max");
        foreach (var p in new[] { capture.Mig, capture.Raw, capture.Normal })
            t.Row(p.Name, Fmt.N(p.Off.Median), Fmt.N(p.On.Median), Fmt.R(p.Ratio.Median), Fmt.R(p.Ratio.Min), Fmt.R(p.Ratio.Max));
        md.Append(t);
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"MigDatabase vs raw connection, capture off: {Fmt.R(capture.Mig.Off.Median / capture.Raw.Off.Median)} (the runtime's own cost per transaction, for scale; both wait for an fsync per commit).");
        md.AppendLine();
    }

    private static void CaptureCostSection(StringBuilder md, Options o, CaptureCostBenchmark cost)
    {
        md.AppendLine("## 3b. Where capture's cost goes (raw connection, synchronous NORMAL)");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"The synchronous-NORMAL raw writer of section 3, {Fmt.N(o.CaptureTransactions * CaptureBenchmark.NormalFactor)} transactions per variant and round, on copies of one file after an online Migrate, each copy rewritten to a variant of the installed triggers and log table (Mig's code is not changed); blocks rotate over the copies. Ratio = capture-off time / variant time in the same round (median over rounds). Share = how much of Mig's capture cost per transaction (time on - time off) the variant removes.");
        md.AppendLine();
        // Per transaction, relative to capture off (1.0): Mig's costs 1/ratio_mig, the variant 1/ratio_v.
        var mig = 1 / cost.Variants[1].Ratio.Median;
        var t = new Table("Variant", "Txn/s (median)", "Ratio to capture off (paired)", "Min", "Max", "Share of Mig's capture cost removed");
        foreach (var v in cost.Variants)
        {
            var share = (mig - 1 / v.Ratio.Median) / (mig - 1);
            t.Row(v.Name, Fmt.N(v.Rate.Median), Fmt.R(v.Ratio.Median), Fmt.R(v.Ratio.Min), Fmt.R(v.Ratio.Max), v == cost.Variants[0] || v == cost.Variants[1] ? "-" : Fmt.Pct(share));
        }
        md.Append(t);
        md.AppendLine();
        foreach (var n in cost.Notes) md.AppendLine("- " + n);
        if (cost.Notes.Count > 0) md.AppendLine();
    }

    private static string Git(string args)
    {
        try
        {
            var (code, output) = Fixture.RunProcess("git", args.Split(' '), null);
            return code == 0 ? output.TrimEnd() : "?";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
