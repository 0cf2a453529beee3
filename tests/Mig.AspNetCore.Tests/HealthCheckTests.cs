using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mig.AspNetCore.Tests;

/// <summary>AddMigHealthCheck through a migration: what a load balancer sees of the old and the new app.</summary>
[TestClass]
public sealed class HealthCheckTests
{
    [TestMethod]
    public async Task TheOldFileIsHealthyThenDegradedWithItsPhase()
    {
        using var file = TestFile.Create();
        await using var host = await TestHost.StartAsync(file.Path);

        Assert.AreEqual(("Healthy", "serving", HttpStatusCode.OK), await HealthAsync(host));
        file.SetMarker("recording");
        Assert.AreEqual(("Degraded", "recording", HttpStatusCode.OK), await HealthAsync(host));
        file.SetMarker("draining");
        Assert.AreEqual(("Degraded", "draining", HttpStatusCode.OK), await HealthAsync(host));
    }

    [TestMethod]
    public async Task TheNewFileIsUnhealthyUntilReadyThenHealthy()
    {
        using var file = TestFile.Create(status: "migrating");
        await using var host = await TestHost.StartAsync(file.Path);

        Assert.AreEqual(("Unhealthy", "not-ready", HttpStatusCode.ServiceUnavailable), await HealthAsync(host));
        var report = await host.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.AreEqual("migrating", report.Entries["mig"].Data["status"]);
        file.SetStatus("ready");
        Assert.AreEqual(("Healthy", "serving", HttpStatusCode.OK), await HealthAsync(host));
    }

    /// <summary>The report's status and Mig's phase, and what /health answers over HTTP.</summary>
    private static async Task<(string, string, HttpStatusCode)> HealthAsync(TestHost host)
    {
        var report = await host.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        using var response = await host.Client.GetAsync("health");
        Assert.AreEqual(report.Status.ToString(), await response.Content.ReadAsStringAsync());
        return (report.Status.ToString(), (string)report.Entries["mig"].Data["phase"], response.StatusCode);
    }
}
