using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mig.AspNetCore.Tests;

/// <summary>The meter <c>Mig</c>: transactions by database, kind and outcome, refused writes, not-ready calls, durations.</summary>
[TestClass]
public sealed class TelemetryTests
{
    [TestMethod]
    public async Task CallsRefusedWritesAndNotReadyCallsAreCountedWithTheirTags()
    {
        using var file = TestFile.Create();
        await using var host = await TestHost.StartAsync(file.Path);
        var seen = new List<string>();
        using var listener = new MeterListener();
        var factory = host.App.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MigMetrics.MeterName && instrument.Meter.Scope == factory) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(seen, instrument, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            Assert.IsGreaterThanOrEqualTo(0, value);
            Add(seen, instrument, tags);
        });
        listener.Start();

        await host.Client.PostAsync("items", null);
        await host.Client.GetAsync("items");
        file.SetMarker("draining");
        await host.Client.PostAsync("items", null);

        CollectionAssert.AreEqual(new[]
        {
            "mig.transactions database=default kind=write outcome=committed", "mig.transaction.duration database=default kind=write outcome=committed",
            "mig.transactions database=default kind=read outcome=committed", "mig.transaction.duration database=default kind=read outcome=committed",
            "mig.writes.refused database=default", "mig.transactions database=default kind=write outcome=writes_paused", "mig.transaction.duration database=default kind=write outcome=writes_paused",
        }, seen);
    }

    [TestMethod]
    public async Task ANotReadyCallIsCountedWithTheFilesStatus()
    {
        using var file = TestFile.Create(status: "migrating");
        await using var host = await TestHost.StartAsync(file.Path);
        var seen = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == MigMetrics.NotReady && instrument.Meter.Scope == host.App.Services.GetRequiredService<IMeterFactory>()) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(seen, instrument, tags));
        listener.Start();

        await host.Client.GetAsync("items");

        CollectionAssert.AreEqual(new[] { "mig.not_ready database=default status=migrating" }, seen);
    }

    [TestMethod]
    public async Task EachDatabasesMeasurementsCarryItsName()
    {
        using var main = TestFile.Create();
        using var audit = TestFile.Create();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMigDatabase(main.Path);
        builder.Services.AddKeyedMigDatabase("audit", audit.Path);
        await using var app = builder.Build();
        await app.StartAsync();
        var seen = new List<string>();
        using var listener = new MeterListener();
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == MigMetrics.Transactions && instrument.Meter.Scope == factory) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(seen, instrument, tags));
        listener.Start();

        await app.Services.GetRequiredService<MigDatabase>().ReadAsync(_ => Task.CompletedTask);
        await app.Services.GetRequiredKeyedService<MigDatabase>("audit").WriteAsync(_ => Task.CompletedTask);
        audit.SetMarker("draining");
        await Assert.ThrowsExactlyAsync<MigWritesPausedException>(() => app.Services.GetRequiredKeyedService<MigDatabase>("audit").WriteAsync(_ => Task.CompletedTask));

        CollectionAssert.AreEqual(new[]
        {
            "mig.transactions database=default kind=read outcome=committed",
            "mig.transactions database=audit kind=write outcome=committed",
            "mig.transactions database=audit kind=write outcome=writes_paused",
        }, seen);
        await app.StopAsync();
    }

    private static void Add(List<string> seen, Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = instrument.Name;
        foreach (var tag in tags) text += $" {tag.Key.Replace("mig.transaction.", "", StringComparison.Ordinal).Replace("mig.", "", StringComparison.Ordinal)}={tag.Value}";
        lock (seen) seen.Add(text);
    }
}
