using System.Diagnostics;
using System.Globalization;

namespace Mig.MigrationBenchmarks;

/// <summary>The measured values of one contender (seconds, rows/s, bytes...), warm-up rounds excluded.</summary>
internal sealed class Series(string name)
{
    private readonly List<double> values = [];

    public string Name { get; } = name;
    public IReadOnlyList<double> Values => values;
    public void Add(double v) => values.Add(v);
    public double Median => Stats.Median(values);
    public double Min => values.Count == 0 ? double.NaN : values.Min();
    public double Max => values.Count == 0 ? double.NaN : values.Max();

    /// <summary>Spread of the runs around the median, for the noise column: (max - min) / median.</summary>
    public double Spread => values.Count == 0 ? double.NaN : (Max - Min) / Median;
}

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}

/// <summary>
/// Runs contenders in rounds: every round runs each contender once, in an order that
/// rotates from round to round, so noise from the machine (2 cores, other builds)
/// lands on all of them alike. The first <c>warmup</c> rounds are not recorded.
/// </summary>
internal static class Rounds
{
    public static void Run(int warmup, int runs, IReadOnlyList<Action<bool>> contenders, Action<string> progress, string title)
    {
        for (var round = 0; round < warmup + runs; round++)
        {
            var record = round >= warmup;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < contenders.Count; i++)
                contenders[(i + round) % contenders.Count](record);
            progress(string.Create(CultureInfo.InvariantCulture,
                $"{title}: round {round + 1}/{warmup + runs}{(record ? "" : " (warm-up)")} in {clock.Elapsed.TotalSeconds:F1} s, load {Machine.LoadAverage()}"));
        }
    }
}

/// <summary>Timestamps of the lines an operation logs, to split its time into phases.</summary>
internal sealed class TimedLog
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    public List<(double At, string Line)> Lines { get; } = [];
    public void Log(string line) => Lines.Add((clock.Elapsed.TotalSeconds, line));
    public double Now => clock.Elapsed.TotalSeconds;

    public double? First(Func<string, bool> match) => Lines.Where(l => match(l.Line)).Select(l => (double?)l.At).FirstOrDefault();
    public double? Last(Func<string, bool> match) => Lines.Where(l => match(l.Line)).Select(l => (double?)l.At).LastOrDefault();
}

internal static class Machine
{
    public static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
    }

    /// <summary>A field of /proc/self/status in bytes (VmHWM: peak resident set; VmRSS: current).</summary>
    public static long ProcStatusBytes(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return -1;
    }

    /// <summary>Resets VmHWM to the current RSS (Linux: write 5 to clear_refs), so a peak belongs to what follows.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

internal static class Fmt
{
    public static string S(double seconds) => seconds.ToString(seconds < 10 ? "F3" : "F1", CultureInfo.InvariantCulture) + " s";
    public static string Ms(double seconds) => (seconds * 1000).ToString("F0", CultureInfo.InvariantCulture) + " ms";
    public static string R(double ratio) => ratio.ToString("F2", CultureInfo.InvariantCulture);
    public static string N(double n) => n.ToString("N0", CultureInfo.InvariantCulture);
    public static string Mb(double bytes) => (bytes / (1024 * 1024)).ToString("F1", CultureInfo.InvariantCulture) + " MB";
    public static string Pct(double fraction) => (fraction * 100).ToString("F0", CultureInfo.InvariantCulture) + " %";
}
