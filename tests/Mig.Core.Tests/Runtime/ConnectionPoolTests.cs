using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Mig.Core.Tests.Runtime;

/// <summary><see cref="MigDatabaseOptions.MaxConnections"/>: a bound on open connections, waited for asynchronously and cancellably.</summary>
[TestClass]
public sealed class ConnectionPoolTests
{
    [TestMethod]
    public async Task ManyConcurrentCallersNeverOpenMoreThanMaxConnections()
    {
        using var file = RuntimeFile.Create(Protocol.Ready, wal: true);
        await using var db = new MigDatabase(file.Path, new MigDatabaseOptions { MaxConnections = 3 });
        var connections = new HashSet<SqliteConnection>(ReferenceEqualityComparer.Instance);
        var inside = 0;
        var most = 0;
        async Task Work(MigTransaction t)
        {
            lock (connections) connections.Add(t.Connection);
            var now = Interlocked.Increment(ref inside);
            lock (connections) most = Math.Max(most, now);
            await Task.Delay(10);
            Interlocked.Decrement(ref inside);
        }

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => i % 4 == 0
            ? db.WriteAsync(async t => { await Work(t); await RuntimeFile.InsertAsync(t, $"w{i}"); })
            : db.ReadAsync(Work))));

        Assert.IsLessThanOrEqualTo(3, connections.Count, "connections opened");
        Assert.IsLessThanOrEqualTo(3, most, "transactions at once");
        Assert.IsGreaterThan(1, most, "reads ran side by side");
        Assert.AreEqual(10L, file.Count());
    }

    [TestMethod]
    public async Task AWaitForAFreeConnectionEndsWhenItsTokenFires()
    {
        using var file = RuntimeFile.Create(Protocol.Ready, wal: true);
        await using var db = new MigDatabase(file.Path, new MigDatabaseOptions { MaxConnections = 1 });
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = db.ReadAsync(async t =>
        {
            holding.SetResult();
            await release.Task;
        });
        await holding.Task;

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();
        var waiting = db.ReadAsync(t => Task.FromResult(0), cts.Token);
        Assert.IsLessThan(TimeSpan.FromSeconds(2), clock.Elapsed, "ReadAsync blocked its caller");
        await Assert.ThrowsAsync<OperationCanceledException>(() => waiting);
        // Far above the 0.2 s of the token, far below the 30 s busy timeout a stuck wait would take (bounds for a loaded CI machine).
        Assert.IsLessThan(TimeSpan.FromSeconds(5), clock.Elapsed);

        release.SetResult();
        await first;
        await db.WriteAsync(t => RuntimeFile.InsertAsync(t, "after")); // the cancelled waiter took no slot with it
        Assert.AreEqual(1L, file.Count());
    }

    [TestMethod]
    public async Task AWaitForAFreeConnectionFailsWithBusyAfterTheBusyTimeout()
    {
        using var file = RuntimeFile.Create(Protocol.Ready, wal: true);
        await using var db = new MigDatabase(file.Path, new MigDatabaseOptions { MaxConnections = 1, BusyTimeout = TimeSpan.FromMilliseconds(300) });
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = db.ReadAsync(async t =>
        {
            holding.SetResult();
            await release.Task;
        });
        await holding.Task;

        var e = await Assert.ThrowsExactlyAsync<SqliteException>(() => db.ReadAsync(t => Task.FromResult(0)));
        Assert.AreEqual(5, e.SqliteErrorCode);
        StringAssert.Contains(e.Message, "MaxConnections");
        release.SetResult();
        await first;
        Assert.AreEqual(0, await db.ReadAsync(t => Task.FromResult(0)));
    }

    [TestMethod]
    public void AnOptionOutOfRangeIsRefusedAtOnce()
    {
        using var file = RuntimeFile.Create(Protocol.Ready, wal: true);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MigDatabase(file.Path, new MigDatabaseOptions { MaxConnections = 0 }));
    }
}
