using Microsoft.Data.Sqlite;
using Mig.Migration;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// The first two guarantees of docs/hot-migration.md under concurrency: writers of the old
/// service (through <see cref="MigDatabase"/>) and of a second app (a plain
/// Microsoft.Data.Sqlite connection) insert, update and delete parents and
/// children before, during and after the copy, until drain refuses them; after
/// cutover the new file is the old file's final data transformed by the plan,
/// row for row, and holds every write a writer saw commit.
/// </summary>
[TestClass]
public sealed class ConcurrencyTests
{
    private const int MinIterations = 8;
    private const int MaxIterations = 60;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ConcurrentWritesBeforeDuringAndAfterTheCopyAllArriveExactlyOnce() =>
        Interleavings.Run(MinIterations, MaxIterations, Budget, Iteration, TestContext);

    private static int[] Iteration(int seed)
    {
        var rng = new Random(seed);
        using var pair = HotPair.Create();
        using var db = new MigDatabase(pair.OldPath);
        var writers = new HotWriter[]
        {
            new MigWriter("m0", new Random(seed * 10 + 0), db),
            new MigWriter("m1", new Random(seed * 10 + 1), db),
            new RawWriter("r2", new Random(seed * 10 + 2), pair.OldPath),
            new RawWriter("r3", new Random(seed * 10 + 3), pair.OldPath),
        };
        return Interleavings.CopyUnderWrites(rng, writers,
            prepare: () =>
            {
                foreach (var w in writers)
                {
                    var seeded = new HotData();
                    pair.Seed(seeded, w.Tag, rng.Next(3, 25), rng.Next(0, 4), rng);
                    w.Own(seeded);
                }
            },
            copiedTables: 2, // author, book
            migrator: log => pair.Migrator(log), Patience,
            afterCutover: _ =>
            {
                var ledger = HotData.Union(writers.Select(w => w.Mine));
                pair.AssertOldHolds(ledger, "old file vs the writers' ledgers");
                pair.AssertNewIsOldTransformed(ledger, "new file");
            });
    }

    [TestMethod]
    public async Task MigDatabaseOnEitherFileFollowsTheMigrationWithoutARestart()
    {
        using var pair = HotPair.Create();
        pair.Seed(new HotData(), "s", 10, 2, new Random(7));
        await using var oldDb = new MigDatabase(pair.OldPath);
        await oldDb.WriteAsync(t => InsertAuthor(t, "before"));
        var migrator = pair.Migrator();
        migrator.Migrate(offline: false, allowDataLoss: false);

        await using var newDb = new MigDatabase(pair.NewPath);
        var notReady = await Assert.ThrowsExactlyAsync<MigDatabaseNotReadyException>(() => newDb.ReadAsync(t => Task.FromResult(Names(t, "full_name"))));
        Assert.AreEqual(Protocol.Migrating, notReady.Status);
        await Assert.ThrowsExactlyAsync<MigDatabaseNotReadyException>(() => newDb.WriteAsync(t => InsertAuthor(t, "too early", "full_name")));

        await oldDb.WriteAsync(t => InsertAuthor(t, "during"));
        migrator.Drain();
        await Assert.ThrowsExactlyAsync<MigWritesPausedException>(() => oldDb.WriteAsync(t => InsertAuthor(t, "refused")));
        using (var raw = HotDb.OpenReadWrite(pair.OldPath))
        using (var cmd = raw.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO author(name, score) VALUES ('refused too', 0)";
            var guard = Assert.ThrowsExactly<SqliteException>(() => cmd.ExecuteNonQuery());
            StringAssert.Contains(guard.Message, Protocol.WritesPausedMessage);
        }
        var oldNames = await oldDb.ReadAsync(t => Task.FromResult(Names(t, "name")));
        CollectionAssert.IsSubsetOf(new[] { "before", "during" }, oldNames, "the drained old file still serves reads");
        CollectionAssert.DoesNotContain(oldNames, "refused");
        CollectionAssert.DoesNotContain(oldNames, "refused too");
        await Assert.ThrowsExactlyAsync<MigDatabaseNotReadyException>(() => newDb.ReadAsync(t => Task.FromResult(Names(t, "full_name"))));

        migrator.Cutover();
        // The same instances: the new one serves now, the old one keeps refusing writes.
        var newNames = await newDb.ReadAsync(t => Task.FromResult(Names(t, "full_name")));
        CollectionAssert.AreEquivalent(oldNames, newNames);
        await newDb.WriteAsync(t => InsertAuthor(t, "after", "full_name"));
        Assert.HasCount(oldNames.Count + 1, await newDb.ReadAsync(t => Task.FromResult(Names(t, "full_name"))));
        await Assert.ThrowsExactlyAsync<MigWritesPausedException>(() => oldDb.WriteAsync(t => InsertAuthor(t, "after")));
        Assert.HasCount(oldNames.Count, await oldDb.ReadAsync(t => Task.FromResult(Names(t, "name"))));
    }

    private static Task InsertAuthor(MigTransaction t, string name, string column = "name")
    {
        using var cmd = t.Connection.CreateCommand();
        cmd.CommandText = $"INSERT INTO author({column}, score) VALUES (@n, 0)";
        cmd.Parameters.AddWithValue("@n", name);
        cmd.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    private static List<string> Names(MigTransaction t, string column)
    {
        using var cmd = t.Connection.CreateCommand();
        cmd.CommandText = $"SELECT {column} FROM author";
        using var r = cmd.ExecuteReader();
        var names = new List<string>();
        while (r.Read()) names.Add(r.GetString(0));
        return names;
    }
}
