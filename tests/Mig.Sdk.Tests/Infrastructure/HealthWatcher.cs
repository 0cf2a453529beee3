using System.Diagnostics;
using System.Text.Json;

namespace Mig.Sdk.Tests.Infrastructure;

/// <summary>
/// Polls an app's /health (samples/WebApi's JSON) every 100 ms and keeps each change of Mig's
/// phase ("serving", "recording", "draining", "not-ready", or "error: ..." when /health did not
/// answer as it should), with the overall status and HTTP code.
/// </summary>
internal sealed class HealthWatcher : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task polling;
    private readonly List<string> changes = [];

    public HealthWatcher(Uri app) => polling = PollAsync(app);

    /// <summary>The phases seen, in order, each once per change: "serving Healthy 200".</summary>
    public IReadOnlyList<string> Changes
    {
        get
        {
            lock (changes) return [.. changes];
        }
    }

    /// <summary>The phase alone of each change.</summary>
    public IReadOnlyList<string> Phases => [.. Changes.Select(c => c.Split(' ')[0])];

    private async Task PollAsync(Uri app)
    {
        using var client = new HttpClient { BaseAddress = app, Timeout = TimeSpan.FromSeconds(10) };
        while (!stop.IsCancellationRequested)
        {
            string seen;
            try
            {
                using var response = await client.GetAsync("health", stop.Token);
                var body = await response.Content.ReadAsStringAsync(stop.Token);
                using var json = JsonDocument.Parse(body);
                var mig = json.RootElement.GetProperty("checks").GetProperty("mig");
                seen = $"{mig.GetProperty("data").GetProperty("phase").GetString()} {mig.GetProperty("status").GetString()} {(int)response.StatusCode}";
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException or TaskCanceledException)
            {
                seen = $"error: {e.GetType().Name} {e.Message}";
            }
            lock (changes)
                if (changes.Count == 0 || changes[^1] != seen) changes.Add(seen);
            try
            {
                await Task.Delay(100, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await polling;
        stop.Dispose();
    }
}
