using System.Net;
using System.Text.Json;

namespace Mig.AspNetCore.Tests;

/// <summary>UseMigWritePause: what an HTTP client gets while a migration drains or builds the file.</summary>
[TestClass]
public sealed class WritePauseTests
{
    [TestMethod]
    public async Task AWriteToADrainedFileIs503WithRetryAfterAndProblemDetailsAndReadsStillServe()
    {
        using var file = TestFile.Create();
        await using var host = await TestHost.StartAsync(file.Path);
        Assert.AreEqual(HttpStatusCode.OK, (await host.Client.PostAsync("items", null)).StatusCode);

        file.SetMarker("draining");
        using var refused = await host.Client.PostAsync("items", null);

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.AreEqual(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.AreEqual("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.AreEqual(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.AreEqual("Writes are paused for a database migration", problem.RootElement.GetProperty("title").GetString());
        StringAssert.Contains(problem.RootElement.GetProperty("detail").GetString(), "Retry after cutover");
        Assert.AreEqual(1, file.Count(), "the refused write was not applied");
        using var read = await host.Client.GetAsync("items");
        Assert.AreEqual(HttpStatusCode.OK, read.StatusCode);
        Assert.AreEqual("1", await read.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task AFileNotReadyIs503WithItsStatusUntilCutoverMarksItReadyWithoutARestart()
    {
        using var file = TestFile.Create(status: "migrating");
        await using var host = await TestHost.StartAsync(file.Path, new() { ["Mig:RetryAfter"] = "00:00:30" });

        using var early = await host.Client.GetAsync("items");
        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.AreEqual(TimeSpan.FromSeconds(30), early.Headers.RetryAfter?.Delta, "Mig:RetryAfter from the configuration");
        using var problem = JsonDocument.Parse(await early.Content.ReadAsStringAsync());
        Assert.AreEqual("The database is not ready yet", problem.RootElement.GetProperty("title").GetString());
        Assert.AreEqual(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.AreEqual("migrating", problem.RootElement.GetProperty("databaseStatus").GetString());
        Assert.AreEqual(30, problem.RootElement.GetProperty("retryAfterSeconds").GetInt32());

        file.SetStatus("ready");
        Assert.AreEqual(HttpStatusCode.OK, (await host.Client.PostAsync("items", null)).StatusCode);
        Assert.AreEqual(1, file.Count());
    }
}
