using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Mig.AspNetCore.Tests;

/// <summary>
/// An app with two databases (a project with several, each with its own MigSchemaInfo): the app's one
/// through AddMigDatabase, an audit trail through AddKeyedMigDatabase("audit", ...), each with its own
/// file, settings and health check, and the write pause answering for both.
/// </summary>
[TestClass]
public sealed class KeyedDatabaseTests
{
    [TestMethod]
    public async Task EachDatabaseHasItsFileItsHealthAndItsWritePause()
    {
        using var main = TestFile.Create();
        using var audit = TestFile.Create();
        using var unused = TestFile.Create();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Mig:Databases:audit:Path"] = audit.Path, ["Mig:Databases:audit:MaxConnections"] = "3" });
        builder.Services.AddMigDatabase(main.Path);
        builder.Services.AddKeyedMigDatabase("audit", unused.Path);
        builder.Services.AddHealthChecks().AddMigHealthCheck().AddMigHealthCheck("mig-audit", database: "audit");
        await using var app = builder.Build();
        app.UseMigWritePause();
        app.MapPost("/audit", async ([FromKeyedServices("audit")] MigDatabase db) =>
        {
            await db.WriteAsync(txn =>
            {
                using var cmd = txn.Connection.CreateCommand();
                cmd.CommandText = "INSERT INTO item(name) VALUES ('audited')";
                cmd.ExecuteNonQuery();
                return Task.CompletedTask;
            });
            return Results.Ok();
        });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        var mainDb = app.Services.GetRequiredService<MigDatabase>();
        var auditDb = app.Services.GetRequiredKeyedService<MigDatabase>("audit");
        Assert.AreEqual(main.Path, mainDb.Path);
        Assert.AreEqual(audit.Path, auditDb.Path, "Mig:Databases:audit:Path wins over the default path");
        Assert.AreSame(auditDb, app.Services.GetRequiredKeyedService<MigDatabase>("audit"), "one instance for the app's lifetime");

        Assert.AreEqual(HttpStatusCode.OK, (await client.PostAsync("audit", null)).StatusCode);
        Assert.AreEqual(1L, audit.Count());
        Assert.AreEqual(0L, main.Count(), "the write went to the audit file only");

        audit.SetMarker("draining");
        using var paused = await client.PostAsync("audit", null);
        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, paused.StatusCode, "a drained audit file answers 503");
        Assert.IsNotNull(paused.Headers.RetryAfter);
        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.AreEqual(HealthStatus.Healthy, report.Entries["mig"].Status);
        Assert.AreEqual(HealthStatus.Degraded, report.Entries["mig-audit"].Status);
        Assert.AreEqual("draining", report.Entries["mig-audit"].Data["phase"]);
        await app.StopAsync();
    }
}
