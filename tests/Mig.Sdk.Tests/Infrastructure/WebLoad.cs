using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mig.Sdk.Tests.Infrastructure;

/// <summary>One HTTP request of the load: what, where, when (since the load began) and the answer (0: no answer).</summary>
internal sealed record WebRequest(string Op, Uri Target, TimeSpan SentAt, TimeSpan EndedAt, int Status, string? Error)
{
    public TimeSpan Latency => EndedAt - SentAt;
}

/// <summary>A student the load created, as the acknowledged (2xx) answers left it.</summary>
internal sealed record AckedStudent(long Id, string Email, string? Nickname, bool Deleted);

/// <summary>
/// A steady HTTP load on samples/WebApi's /students at a fixed rate: workers that create, update,
/// read, page and delete their own students, each a request at its scheduled time (or at once
/// when late). Every request is kept with its timing and status, and every acknowledged write
/// updates the expected state of its student, so that after a migration the new file can be
/// compared with what the clients were told. <see cref="Target"/> is where the requests go (a
/// load balancer's choice); the test moves it to the v2 app at cutover.
/// </summary>
internal sealed class WebLoad : IAsyncDisposable
{
    private readonly HttpClient client = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly List<WebRequest> requests = [];
    private readonly Dictionary<string, AckedStudent> students = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private readonly Task[] workers;
    private volatile Uri target;

    public WebLoad(Uri target, int workers, double requestsPerSecond)
    {
        this.target = target;
        var interval = TimeSpan.FromSeconds(workers / requestsPerSecond);
        this.workers = [.. Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkAsync(w, workers, interval)))];
    }

    /// <summary>Where the next requests go.</summary>
    public Uri Target
    {
        get => target;
        set => target = value;
    }

    /// <summary>The load's clock: the time since it began, on the scale of <see cref="WebRequest.SentAt"/>.</summary>
    public TimeSpan Now => clock.Elapsed;

    public IReadOnlyList<WebRequest> Requests
    {
        get
        {
            lock (requests) return [.. requests];
        }
    }

    public IReadOnlyCollection<AckedStudent> Students
    {
        get
        {
            lock (students) return [.. students.Values];
        }
    }

    private async Task WorkAsync(int worker, int count, TimeSpan interval)
    {
        var random = new Random(worker);
        var live = new List<AckedStudent>();
        var next = clock.Elapsed + interval * (worker / (double)count);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            next += interval;
            if (stop.IsCancellationRequested) break;
            var roll = random.Next(100);
            var mine = live.Count > 0 ? live[random.Next(live.Count)] : null;
            if (mine is null || roll < 40) await CreateAsync(live, $"w{worker}-{i}");
            else if (roll < 60) await UpdateAsync(live, mine, $"n{i}");
            else if (roll < 75) await SendAsync("get", t => client.GetAsync(new Uri(t, $"students/{mine.Id}")));
            else if (roll < 90) await SendAsync("list", t => client.GetAsync(new Uri(t, $"students/?after={random.Next(Math.Max(1, (int)mine.Id))}&limit=20")));
            else await DeleteAsync(live, mine);
        }
    }

    private async Task CreateAsync(List<AckedStudent> live, string key)
    {
        var email = $"{key}@load.test";
        var (status, body) = await SendAsync("create", t => client.PostAsJsonAsync(new Uri(t, "students/"), new { name = $"Load {key}", age = 20, email, nickname = (string?)null }));
        if (status != HttpStatusCode.Created || body is null) return;
        var acked = new AckedStudent(body.Value.GetProperty("id").GetInt64(), email, null, false);
        live.Add(acked);
        Ack(acked);
    }

    private async Task UpdateAsync(List<AckedStudent> live, AckedStudent student, string nickname)
    {
        var (status, _) = await SendAsync("update", t => client.PutAsJsonAsync(new Uri(t, $"students/{student.Id}"), new { name = $"Load {student.Email}", age = 21, email = student.Email, nickname }));
        if (status != HttpStatusCode.OK) return;
        var acked = student with { Nickname = nickname };
        live[live.IndexOf(student)] = acked;
        Ack(acked);
    }

    private async Task DeleteAsync(List<AckedStudent> live, AckedStudent student)
    {
        var (status, _) = await SendAsync("delete", t => client.DeleteAsync(new Uri(t, $"students/{student.Id}")));
        if (status != HttpStatusCode.NoContent) return;
        live.Remove(student);
        Ack(student with { Deleted = true });
    }

    private void Ack(AckedStudent student)
    {
        lock (students) students[student.Email] = student;
    }

    /// <summary>Sends one request to the current target and records it; the status and JSON body of a 2xx answer.</summary>
    private async Task<(HttpStatusCode? Status, JsonElement? Body)> SendAsync(string op, Func<Uri, Task<HttpResponseMessage>> send)
    {
        var to = target;
        var sentAt = clock.Elapsed;
        try
        {
            using var response = await send(to);
            var text = await response.Content.ReadAsStringAsync();
            var error = response.IsSuccessStatusCode ? null : $"Retry-After: {response.Headers.RetryAfter?.Delta?.TotalSeconds}; {response.Content.Headers.ContentType?.MediaType}; {text}";
            Record(new WebRequest(op, to, sentAt, clock.Elapsed, (int)response.StatusCode, error));
            JsonElement? body = response.IsSuccessStatusCode && text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : null;
            return (response.StatusCode, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            Record(new WebRequest(op, to, sentAt, clock.Elapsed, 0, $"{e.GetType().Name}: {e.Message}"));
            return (null, null);
        }
    }

    private void Record(WebRequest request)
    {
        lock (requests) requests.Add(request);
    }

    /// <summary>Stops sending; waits for the requests in flight (an abandoned write would leave its outcome unknown).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested) await stop.CancelAsync();
        await Task.WhenAll(workers);
        client.Dispose();
        stop.Dispose();
    }
}
