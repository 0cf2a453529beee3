using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Mig.Migration;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// Rule 1 and 2 of hot-migration.md under concurrency: writers of the old
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
        var progress = new CommitCounter();
        var failures = new ConcurrentQueue<string>();
        var stop = false;
        var threads = new List<Thread>();
        try
        {
            foreach (var w in writers)
            {
                var seeded = new HotData();
                pair.Seed(seeded, w.Tag, rng.Next(3, 25), rng.Next(0, 4), rng);
                w.Own(seeded);
            }
            var jitter = rng.Next(4);
            foreach (var w in writers)
            {
                var wrng = new Random(rng.Next());
                var thread = new Thread(() => Interleavings.WriteUntilRefused(w, wrng, jitter, progress, failures, () => Volatile.Read(ref stop))) { IsBackground = true, Name = w.Tag };
                threads.Add(thread);
                progress.Start();
                thread.Start();
            }

            // Before: the old service writes with no migration in sight.
            Assert.IsTrue(progress.WaitFor(rng.Next(1, 30), Patience), $"writers made no progress before the migration: {string.Join("; ", failures)}");
            var before = progress.Total;

            // During: the copy reports progress from inside its snapshot; hold it there
            // (at a random table, or not at all) until the writers commit more.
            var holdAt = rng.Next(3); // 0: author, 1: book, 2: no hold
            var duringWanted = rng.Next(1, 40);
            var heldFrom = -1;
            var heldTo = -1;
            var copyLines = 0;
            var migrator = pair.Migrator(line =>
            {
                if (!line.StartsWith("Mig: copy ", StringComparison.Ordinal)) return;
                if (copyLines++ != holdAt) return;
                heldFrom = progress.Total;
                if (!progress.WaitFor(heldFrom + duringWanted, Patience))
                    failures.Enqueue($"writers could not commit while the copy held its snapshot ({progress.Total - heldFrom} of {duringWanted} commits in {Patience.TotalSeconds} s)");
                heldTo = progress.Total;
            });
            var migrate = Task.Run(() => migrator.Migrate(offline: false, allowDataLoss: false));
            Assert.IsTrue(migrate.Wait(TimeSpan.FromSeconds(90)), "Migrate did not finish");
            migrate.GetAwaiter().GetResult();
            Assert.IsTrue(failures.IsEmpty, string.Join("\n", failures));
            Assert.IsTrue(holdAt == 2 || heldTo >= 0, $"the copy reported {copyLines} progress lines; expected to hold at line {holdAt}");
            var during = progress.Total;

            // After: writes are captured; then drain refuses them while the writers keep trying.
            Assert.IsTrue(progress.WaitFor(during + rng.Next(0, 40), Patience), $"writers made no progress after the copy: {string.Join("; ", failures)}");
            var after = progress.Total;
            pair.Migrator().Drain();
            foreach (var t in threads)
                if (!t.Join(Patience)) failures.Enqueue($"writer {t.Name} was not refused after drain");
            Assert.IsTrue(failures.IsEmpty, string.Join("\n", failures));
            foreach (var w in writers) Assert.IsTrue(w.Refused, $"{w.Tag} stopped without being refused");
            var final = progress.Total;

            pair.Migrator().Cutover();
            Assert.AreEqual("cut-over", pair.Migrator().Status().Phase);
            var ledger = HotData.Union(writers.Select(w => w.Mine));
            pair.AssertOldHolds(ledger, "old file vs the writers' ledgers");
            pair.AssertNewIsOldTransformed(ledger, "new file");
            return [before, heldTo >= 0 ? heldTo - heldFrom : 0, final - during];
        }
        finally
        {
            Volatile.Write(ref stop, true);
            foreach (var t in threads) t.Join(Patience);
            foreach (var w in writers) w.Dispose();
        }
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

    /// <summary>Commits counted across writers; waiting on it is waiting on the writers, never on time.</summary>
    internal sealed class CommitCounter
    {
        private readonly object gate = new();
        private int total;
        private int running;

        public int Total
        {
            get { lock (gate) return total; }
        }

        public void Add()
        {
            lock (gate)
            {
                total++;
                Monitor.PulseAll(gate);
            }
        }

        public void Start()
        {
            lock (gate) running++;
        }

        public void End()
        {
            lock (gate)
            {
                running--;
                Monitor.PulseAll(gate);
            }
        }

        /// <summary>Waits until <paramref name="wanted"/> commits in all; false on timeout or when every writer has stopped short of it.</summary>
        public bool WaitFor(int wanted, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            lock (gate)
            {
                while (total < wanted)
                {
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero || running == 0) return false;
                    Monitor.Wait(gate, left);
                }
                return true;
            }
        }
    }
}
