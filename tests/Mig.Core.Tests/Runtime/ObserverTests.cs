namespace Mig.Core.Tests.Runtime;

/// <summary>
/// <see cref="MigDatabaseOptions.Observer"/>: what logs and metrics are built on. Each marker
/// change is told once, by the call that saw it; refused writes and not-ready calls are told
/// before the call throws; every call's end is told with its error.
/// </summary>
[TestClass]
public sealed class ObserverTests
{
    [TestMethod]
    public async Task MarkerChangesRefusedWritesAndCallEndsAreToldInOrder()
    {
        using var file = RuntimeFile.Create(Protocol.Ready, wal: true);
        var seen = new Recorder();
        await using var db = new MigDatabase(file.Path, new MigDatabaseOptions { Observer = seen });

        await db.WriteAsync(t => RuntimeFile.InsertAsync(t, "before"));
        Assert.IsNull(db.Marker);
        using (var migration = file.Open())
        {
            RuntimeFile.Execute(migration, Protocol.CreateMarkerTable);
            RuntimeFile.Execute(migration, $"INSERT INTO {Protocol.MarkerTable}(id, status) VALUES (0, '{Protocol.Recording}')");
        }
        await db.ReadAsync(t => Task.CompletedTask);
        await db.WriteAsync(t => RuntimeFile.InsertAsync(t, "recorded"));
        Assert.AreEqual(Protocol.Recording, db.Marker);
        using (var migration = file.Open())
            RuntimeFile.Execute(migration, $"UPDATE {Protocol.MarkerTable} SET status = '{Protocol.Draining}'");
        await Assert.ThrowsExactlyAsync<MigWritesPausedException>(() => db.WriteAsync(t => RuntimeFile.InsertAsync(t, "refused")));
        await db.ReadAsync(t => Task.CompletedTask);
        Assert.AreEqual(Protocol.Draining, db.Marker);

        CollectionAssert.AreEqual(new[]
        {
            "end write ok",
            "marker - -> recording", "end read ok", "end write ok",
            "marker recording -> draining", "refused", "end write MigWritesPausedException", "end read ok",
        }, seen.Events);
    }

    [TestMethod]
    public async Task ANotReadyCallIsToldBeforeItThrows()
    {
        using var file = RuntimeFile.Create(Protocol.Migrating, wal: true);
        var seen = new Recorder();
        await using var db = new MigDatabase(file.Path, new MigDatabaseOptions { Observer = seen });

        await Assert.ThrowsExactlyAsync<MigDatabaseNotReadyException>(() => db.ReadAsync(t => Task.CompletedTask));

        CollectionAssert.AreEqual(new[] { "not ready migrating", "end read MigDatabaseNotReadyException" }, seen.Events);
    }

    private sealed class Recorder : MigDatabaseObserver
    {
        public List<string> Events { get; } = [];

        public override void MarkerChanged(MigDatabase database, string? previous, string? current) =>
            Events.Add($"marker {previous ?? "-"} -> {current ?? "-"}");

        public override void WriteRefused(MigDatabase database, MigWritesPausedException exception) => Events.Add("refused");

        public override void NotReady(MigDatabase database, MigDatabaseNotReadyException exception) => Events.Add($"not ready {exception.Status}");

        public override void TransactionEnded(MigDatabase database, bool write, TimeSpan duration, Exception? error)
        {
            Assert.IsGreaterThanOrEqualTo(TimeSpan.Zero, duration);
            Events.Add($"end {(write ? "write" : "read")} {(error is null ? "ok" : error.GetType().Name)}");
        }
    }
}
