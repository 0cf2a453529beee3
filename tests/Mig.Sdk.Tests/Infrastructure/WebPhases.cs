using System.Globalization;
using System.Text;

namespace Mig.Sdk.Tests.Infrastructure;

/// <summary>
/// When each phase of a hot migration under HTTP load began, on the load's clock: before (the
/// v1 app serves), copy (MigMigrate), recording (until MigDrain), drain (MigDrain until
/// MigCutover starts), cutover (MigCutover until the load moves to the v2 app), after.
/// </summary>
internal sealed class WebPhases
{
    private readonly List<(string Name, TimeSpan Start)> starts = [];

    public void Begin(string name, TimeSpan at) => starts.Add((name, at));

    public TimeSpan StartOf(string name) => starts.Single(s => s.Name == name).Start;

    /// <summary>The phase a request was sent in.</summary>
    public string Of(WebRequest request) => starts.Last(s => s.Start <= request.SentAt).Name;

    /// <summary>
    /// Per phase: its length, requests, requests per second, p50/p99/max latency and the answers
    /// that were not 2xx by status, as a Markdown table.
    /// </summary>
    public string Table(IReadOnlyList<WebRequest> requests, TimeSpan end)
    {
        var text = new StringBuilder();
        text.AppendLine("| phase | seconds | requests | req/s | p50 ms | p99 ms | max ms | writes 2xx | non-2xx by status |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        for (var i = 0; i < starts.Count; i++)
        {
            var (name, start) = starts[i];
            var length = (i + 1 < starts.Count ? starts[i + 1].Start : end) - start;
            var mine = requests.Where(r => Of(r) == name).ToList();
            var latencies = mine.Select(r => r.Latency.TotalMilliseconds).Order().ToList();
            var writes = mine.Count(r => r.Op is "create" or "update" or "delete" && r.Status is >= 200 and < 300);
            var failed = string.Join(", ", mine.Where(r => r.Status is < 200 or >= 300).GroupBy(r => r.Status).OrderBy(g => g.Key)
                .Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))}: {g.Count()}"));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {length.TotalSeconds:F1} | {mine.Count} | {mine.Count / Math.Max(length.TotalSeconds, 0.001):F0} | {Percentile(latencies, 0.50):F1} | {Percentile(latencies, 0.99):F1} | {(latencies.Count == 0 ? 0 : latencies[^1]):F1} | {writes} | {(failed.Length > 0 ? failed : "none")} |");
        }
        return text.ToString();
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
