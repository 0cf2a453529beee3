using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Mig.AspNetCore.Tests;

/// <summary>The meter <c>Mig</c>: transactions by kind and outcome, refused writes, not-ready calls, durations.</summary>
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
            "mig.transactions kind=write outcome=committed", "mig.transaction.duration kind=write outcome=committed",
            "mig.transactions kind=read outcome=committed", "mig.transaction.duration kind=read outcome=committed",
            "mig.writes.refused", "mig.transactions kind=write outcome=writes_paused", "mig.transaction.duration kind=write outcome=writes_paused",
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

        CollectionAssert.AreEqual(new[] { "mig.not_ready status=migrating" }, seen);
    }

    private static void Add(List<string> seen, Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = instrument.Name;
        foreach (var tag in tags) text += $" {tag.Key.Replace("mig.transaction.", "", StringComparison.Ordinal).Replace("mig.", "", StringComparison.Ordinal)}={tag.Value}";
        lock (seen) seen.Add(text);
    }
}
