using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// samples/WebApi (Mig.AspNetCore on the School schema), built against the packed packages and run
/// as a real process under a steady HTTP load, through a whole hot migration: MigMigrate, record,
/// MigDrain, the v2 app started before cutover, MigCutover, the load moved to the v2 app. What the
/// clients were told must be what the new file holds, the only failures must be 503s between the
/// drain and the cutover, and /health must move through its states in order.
/// eng/bench-web.sh runs the same scenario longer and at a higher rate (MIG_WEB_* variables).
/// </summary>
[TestClass]
[TestCategory("Web")]
public sealed class WebMigrationTests
{
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(Setting("MIG_WEB_PHASE_SECONDS", 2));
    private static readonly double Rate = Setting("MIG_WEB_RATE", 40);
    private static readonly int Workers = (int)Setting("MIG_WEB_WORKERS", 4);
    // Students in the old file before the load (not the clients'): what the copy copies.
    private static readonly long SeedRows = (long)Setting("MIG_WEB_SEED_ROWS", 2000);
    // 1: one MigSwitch (drain and cutover in one process) instead of MigDrain and MigCutover apart: phase "switch".
    private static readonly bool Switch = Setting("MIG_WEB_SWITCH", 0) == 1;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task AHotMigrationUnderHttpLoadLosesNoAcknowledgedWriteAndFailsOnlyWith503BetweenDrainAndCutover()
    {
        using var v1 = WebApiProject("WebApi", v2: false);
        using var v2 = WebApiProject("WebApi", v2: true);
        var data = v1.NewFolder("data");
        Assert.AreEqual(0, v1.Build().ExitCode, "v1 build");
        var init = v1.Build("-t:MigInit", $"-p:MigDatabaseDir={data}");
        Assert.AreEqual(0, init.ExitCode, init.ToString());
        var old = Directory.GetFiles(data, "school-*.db").Single();
        Seed(old, SeedRows);
        var v2Build = v2.Build();
        Assert.AreEqual(0, v2Build.ExitCode, v2Build.ToString());

        using var oldApp = await WebApp.StartAsync(v1.PathOf("bin/Debug/net10.0/WebApi.dll"), v1.Directory, "--Mig:Path", old);
        var oldHealth = new HealthWatcher(oldApp.BaseAddress);
        var load = new WebLoad(oldApp.BaseAddress, Workers, Rate);
        var phases = new WebPhases();
        phases.Begin("before", TimeSpan.Zero);
        await Task.Delay(Phase);

        Step(phases, load, "copy", () => v2.Build("-t:MigMigrate", $"-p:MigDatabaseDir={data}"));
        phases.Begin("recording", load.Now);
        var newFile = Directory.GetFiles(data, "school-*.db").Single(f => f != old);
        // The v2 app starts before cutover, on its own schema's file in its content root (no path configured).
        using var newApp = await WebApp.StartAsync(v2.PathOf("bin/Debug/net10.0/WebApi.dll"), data);
        var newHealth = new HealthWatcher(newApp.BaseAddress);
        await Task.Delay(Phase);
        if (Switch) Step(phases, load, "switch", () => v2.Build("-t:MigSwitch", $"-p:MigDatabaseDir={data}"));
        else
        {
            Step(phases, load, "drain", () => v2.Build("-t:MigDrain", $"-p:MigDatabaseDir={data}"));
            await Task.Delay(Phase / 2);
            Step(phases, load, "cutover", () => v2.Build("-t:MigCutover", $"-p:MigDatabaseDir={data}"));
        }
        load.Target = newApp.BaseAddress; // the load balancer moves: the v2 app's /health is Healthy now
        phases.Begin("after", load.Now);
        await Task.Delay(Phase);
        await load.DisposeAsync();
        var end = load.Now;
        await Task.Delay(300); // one more /health poll of each app after the load
        await oldHealth.DisposeAsync();
        await newHealth.DisposeAsync();

        var requests = load.Requests;
        var report = phases.Table(requests, end);
        TestContext.WriteLine(report);
        if (Environment.GetEnvironmentVariable("MIG_WEB_REPORT") is { Length: > 0 } reportFile) File.WriteAllText(reportFile, report);
        var context = $"{report}\nold app /health: {string.Join(" | ", oldHealth.Changes)}\nnew app /health: {string.Join(" | ", newHealth.Changes)}\n--- old app\n{Tail(oldApp.Output)}\n--- new app\n{Tail(newApp.Output)}";

        AssertOnly503sBetweenDrainAndCutover(requests, phases, context);
        AssertTheMigrationWasHot(requests, phases, context);
        AssertNewFileHoldsEveryAcknowledgedWrite(newFile, load.Students, SeedRows, context);
        // A MigSwitch's pause can fall between two /health polls of the old app: "draining" may not be seen.
        var expected = Switch && !oldHealth.Phases.Contains("draining") ? new[] { "serving", "recording" } : new[] { "serving", "recording", "draining" };
        CollectionAssert.AreEqual(expected, oldHealth.Phases.ToArray(), context);
        CollectionAssert.AreEqual(new[] { "not-ready", "serving" }, newHealth.Phases.ToArray(), context);
        StringAssert.Contains(oldApp.Output, "changed from none to recording", context);
        if (!Switch || oldHealth.Phases.Contains("draining")) StringAssert.Contains(oldApp.Output, "changed from recording to draining", context);
        if (!Switch || requests.Any(r => r.Status == 503)) StringAssert.Contains(oldApp.Output, "are refused: a migration drains it", context);
    }

    /// <summary>Every answer is 2xx, except 503s (problem details, Retry-After) to requests in flight between MigDrain's start and the move to the v2 app.</summary>
    private static void AssertOnly503sBetweenDrainAndCutover(IReadOnlyList<WebRequest> requests, WebPhases phases, string context)
    {
        var drain = phases.StartOf(Switch ? "switch" : "drain");
        var moved = phases.StartOf("after");
        var failed = requests.Where(r => r.Status is < 200 or >= 300).ToList();
        foreach (var r in failed)
        {
            Assert.AreEqual(503, r.Status, $"{r.Op} to {r.Target} at {r.SentAt.TotalSeconds:F3} s: {r.Status} {r.Error}\n{context}");
            Assert.IsTrue(r.EndedAt >= drain && r.SentAt <= moved, $"a 503 outside the drain-to-cutover window: {r.Op} sent at {r.SentAt.TotalSeconds:F3} s, answered at {r.EndedAt.TotalSeconds:F3} s\n{context}");
            Assert.IsTrue(r.Op is "create" or "update" or "delete", $"a read was refused: {r}\n{context}");
            StringAssert.StartsWith(r.Error, "Retry-After: 5; application/problem+json; ", context);
            StringAssert.Contains(r.Error, "Writes are paused for a database migration", context);
        }
        // MigSwitch's window may be shorter than the gap between two writes of this load.
        if (!Switch) Assert.IsNotEmpty(failed, $"no write was refused: the drain-to-cutover window was not exercised\n{context}");
    }

    /// <summary>Writes were acknowledged while the copy ran and while the capture recorded, and after cutover on the v2 app.</summary>
    private static void AssertTheMigrationWasHot(IReadOnlyList<WebRequest> requests, WebPhases phases, string context)
    {
        foreach (var phase in new[] { "before", "copy", "recording", "after" })
            Assert.IsTrue(requests.Any(r => r.Op == "create" && r.Status == 201 && phases.Of(r) == phase), $"no acknowledged create in phase {phase}\n{context}");
    }

    /// <summary>The new file's students are exactly those the clients were told exist, with the nickname of the last acknowledged update.</summary>
    private static void AssertNewFileHoldsEveryAcknowledgedWrite(string newFile, IReadOnlyCollection<AckedStudent> acked, long seeded, string context)
    {
        var expected = acked.Where(s => !s.Deleted).ToDictionary(s => s.Email);
        var actual = new Dictionary<string, (long Id, string? Nickname)>(StringComparer.Ordinal);
        using (var c = new SqliteConnection($"Data Source={newFile};Mode=ReadOnly;Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id, email, nickname FROM student";
            using var r = cmd.ExecuteReader();
            while (r.Read()) actual[r.GetString(1)] = (r.GetInt64(0), r.IsDBNull(2) ? null : r.GetString(2));
        }
        Assert.AreEqual(seeded, actual.Keys.LongCount(e => e.EndsWith(SeedDomain, StringComparison.Ordinal)), $"the seeded students\n{context}");
        foreach (var e in actual.Keys.Where(e => e.EndsWith(SeedDomain, StringComparison.Ordinal)).ToList()) actual.Remove(e);
        Assert.IsGreaterThan(0, expected.Count, context);
        foreach (var (email, student) in expected)
        {
            Assert.IsTrue(actual.TryGetValue(email, out var row), $"lost: {student} was acknowledged but is not in the new file\n{context}");
            Assert.AreEqual(student.Id, row.Id, $"{email}: id\n{context}");
            Assert.AreEqual(student.Nickname, row.Nickname, $"{email}: the last acknowledged update is not in the new file\n{context}");
        }
        var unexpected = actual.Keys.Where(e => !expected.ContainsKey(e)).ToList();
        Assert.IsEmpty(unexpected, $"in the new file but never acknowledged or acknowledged deleted: {string.Join(", ", unexpected.Take(10))}\n{context}");
    }

    private const string SeedDomain = "@seed.test";

    /// <summary>Students written straight into the old file, as an app that ran for a while leaves them.</summary>
    private static void Seed(string file, long rows)
    {
        using var c = new SqliteConnection($"Data Source={file};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            WITH RECURSIVE n(i) AS (SELECT 1 WHERE @rows > 0 UNION ALL SELECT i + 1 FROM n WHERE i < @rows)
            INSERT INTO student(name, age, email, level, nickname) SELECT 'Seed ' || i, i % 100, 'seed-' || i || '{SeedDomain}', i % 4, NULL FROM n
            """;
        cmd.Parameters.AddWithValue("@rows", rows);
        cmd.ExecuteNonQuery();
    }

    private static void Step(WebPhases phases, WebLoad load, string phase, Func<DotNetResult> run)
    {
        phases.Begin(phase, load.Now);
        var result = run();
        Assert.AreEqual(0, result.ExitCode, $"{phase}: {result}");
    }

    /// <summary>A copy of samples/WebApi as a user's project on the packed packages; with the v2 schema of eng/web when asked.</summary>
    private static Consumer WebApiProject(string name, bool v2)
    {
        var sample = Path.Combine(Repo.Root, "samples", "WebApi");
        var files = Directory.EnumerateFiles(sample, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(sample, f))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj") && !f.Contains(".db", StringComparison.Ordinal) && !f.EndsWith(".csproj", StringComparison.Ordinal))
            .Select(f => (Path: f, Text: File.ReadAllText(Path.Combine(sample, f))))
            .ToList();
        if (v2)
            files = [.. files.Where(f => f.Path != Path.Combine("Schema", "School.cs")), (Path.Combine("Schema", "School.cs"), File.ReadAllText(Path.Combine(Repo.Root, "eng", "web", "School.v2.cs")))];
        var project = File.ReadAllText(Path.Combine(sample, "WebApi.csproj")).Replace("0.1.0-dev", TestRun.MigVersion, StringComparison.Ordinal);
        return Consumer.Create(name, project, [.. files]);
    }

    private static double Setting(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static string Tail(string text) => text.Length <= 6000 ? text : "...\n" + text[^6000..];
}
