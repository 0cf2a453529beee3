using Mig.Migration;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// The in-app upgrade (<see cref="MigUpgrade"/>, behind the generated <c>MigSchemaInfo.UpgradeAsync</c>)
/// on real files: create, keep, migrate and archive, refuse a loss without touching anything, finish
/// after a kill between its steps, and wait for or refuse another process's upgrade.
/// </summary>
[TestClass]
public sealed class UpgradeTests
{
    private const string V1 = """
        [PK(nameof(Id))]
        public sealed record Item(long Id, string Name, string Note);
        """;

    // Adds a column with a default: every v1 row fits.
    private const string V2 = """
        [PK(nameof(Id))]
        [Default(nameof(Rank), "0")]
        public sealed record Item(long Id, string Name, string Note, long Rank);
        """;

    // Drops Note: the rows' notes have no place.
    private const string V3 = """
        [PK(nameof(Id))]
        [Default(nameof(Rank), "0")]
        public sealed record Item(long Id, string Name, long Rank);
        """;

    private readonly List<string> folders = [];

    [TestCleanup]
    public void DeleteFolders()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var dir in folders) Directory.Delete(dir, recursive: true);
    }

    private string NewFolder()
    {
        var dir = TestDatabase.NewDirectory();
        folders.Add(dir);
        return dir;
    }

    private static string Upgrade(string dir, SchemaModel model, MigUpgradeOptions? options = null)
    {
        try
        {
            return MigUpgrade.UpgradeAsync(dir, "app", SchemaHash.Compute(model), SchemaModelJson.Serialize(model), options).GetAwaiter().GetResult();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    private static string FileOf(string dir, SchemaModel model) => Path.Combine(dir, Protocol.DatabaseFileName("app", SchemaHash.Compute(model)));

    /// <summary>A v1 file with two rows, as a v1 app would have left it.</summary>
    private (string Dir, string V1File) V1Folder()
    {
        var dir = NewFolder();
        var v1 = SchemaFixture.Model(V1);
        var path = Upgrade(dir, v1);
        Execute(path, "INSERT INTO item VALUES (1, 'a', 'x'), (2, 'b''q', 'é')");
        return (dir, path);
    }

    private static void Execute(string path, string sql)
    {
        using var c = MigrationPair.Open(path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static List<object?[]> Read(string path, string sql)
    {
        using var c = MigrationPair.Open(path);
        return MigrationPair.Rows(c, sql);
    }

    private static string[] Files(string dir) =>
        [.. Directory.GetFiles(dir).Select(Path.GetFileName).Where(f => !f!.EndsWith(".miglock", StringComparison.Ordinal)).Order(StringComparer.Ordinal)!];

    [TestMethod]
    public void AnEmptyFolderGetsTheSchemasFileReadyAndTheNextStartKeepsIt()
    {
        var dir = Path.Combine(NewFolder(), "data"); // not there yet: the upgrade makes it
        var v1 = SchemaFixture.Model(V1);
        var path = Upgrade(dir, v1);
        Assert.AreEqual(FileOf(dir, v1), path);
        Assert.AreEqual(Protocol.Ready, Read(path, $"SELECT status FROM {Protocol.StatusTable}")[0][0]);
        Execute(path, "INSERT INTO item VALUES (1, 'a', 'x')");
        var hash = MigrationPair.Hash(path);

        Assert.AreEqual(path, Upgrade(dir, v1), "the ready file is the answer");
        Assert.AreEqual(hash, MigrationPair.Hash(path), "and it is left as it was");
    }

    [TestMethod]
    public void OneOlderFileIsMigratedIntoTheNewSchemaAndArchived()
    {
        var (dir, v1File) = V1Folder();
        var v2 = SchemaFixture.Model(V2);
        var log = new List<string>();

        var path = Upgrade(dir, v2, new MigUpgradeOptions { Log = log.Add });

        Assert.AreEqual(FileOf(dir, v2), path);
        RowAssert.AreEqual([RowAssert.Row(1L, "a", "x", 0L), RowAssert.Row(2L, "b'q", "é", 0L)], Read(path, "SELECT id, name, note, rank FROM item ORDER BY id"));
        CollectionAssert.AreEqual(new[] { Path.GetFileName(path) }, Files(dir), "the old file left the folder, with its -wal and -shm; no temporary file stays");
        var archived = Path.Combine(dir, "archive", Path.GetFileName(v1File));
        Assert.IsTrue(File.Exists(archived), "the old file is in archive/");
        Assert.AreEqual(Protocol.Retired, Read(archived, $"SELECT status FROM {Protocol.StatusTable}")[0][0], "and retired: an old app opening it is refused");
        Assert.AreEqual(2L, Read(archived, "SELECT count(*) FROM item")[0][0]);
        Assert.IsTrue(log.Any(l => l.Contains("ready", StringComparison.Ordinal)), string.Join("\n", log));
        Assert.AreEqual(path, Upgrade(dir, v2), "the next start finds the file ready");
    }

    [TestMethod]
    public void APlanThatLosesDataThrowsMig0042AndChangesNothingUnlessAccepted()
    {
        var (dir, v1File) = V1Folder();
        var v3 = SchemaFixture.Model(V3);
        var before = MigrationPair.Hash(v1File);
        var files = Files(dir);

        var e = Assert.ThrowsExactly<MigMigrationException>(() => Upgrade(dir, v3));
        Assert.AreEqual(MigCode.DataLoss, e.Code);
        StringAssert.Contains(e.Message, "note");
        StringAssert.Contains(e.Message, "MigUpgradeOptions.AllowDataLoss = true", "an app has no -p: to pass: the message names the option");
        Assert.DoesNotContain("-p:MigAllowDataLoss", e.Message);
        Assert.AreEqual(before, MigrationPair.Hash(v1File), "the old file is as it was");
        CollectionAssert.AreEqual(files, Files(dir), "no new file, no archive, no temporary file");

        var path = Upgrade(dir, v3, new MigUpgradeOptions { AllowDataLoss = true, ArchiveDirectory = Path.Combine(dir, "old-files") });
        Assert.AreEqual(2L, Read(path, "SELECT count(*) FROM item")[0][0]);
        Assert.IsTrue(File.Exists(Path.Combine(dir, "old-files", Path.GetFileName(v1File))), "ArchiveDirectory is where the old file goes");
    }

    [TestMethod]
    public void AnUpgradeKilledAfterTheNewFileTurnedReadyIsFinishedAtTheNextStart()
    {
        var (dir, v1File) = V1Folder();
        var v2 = SchemaFixture.Model(V2);
        // The state a kill between "new file ready" and "old file retired" leaves.
        new Migrator(v2, SchemaHash.Compute(v2), v1File, FileOf(dir, v2), _ => { }).Migrate(offline: true, allowDataLoss: false);

        var path = Upgrade(dir, v2);

        Assert.AreEqual(FileOf(dir, v2), path);
        CollectionAssert.AreEqual(new[] { Path.GetFileName(path) }, Files(dir), "the old file, verified unchanged, was archived");
        Assert.IsTrue(File.Exists(Path.Combine(dir, "archive", Path.GetFileName(v1File))));
    }

    [TestMethod]
    public void AnOldFileWrittenAfterAKilledUpgradeIsNeitherArchivedNorChosenSilently()
    {
        var (dir, v1File) = V1Folder();
        var v2 = SchemaFixture.Model(V2);
        new Migrator(v2, SchemaHash.Compute(v2), v1File, FileOf(dir, v2), _ => { }).Migrate(offline: true, allowDataLoss: false);
        // The v1 app ran again after the kill and wrote a row the new file does not have.
        Execute(v1File, "INSERT INTO item VALUES (3, 'late', 'n')");
        var oldHash = MigrationPair.Hash(v1File);

        var e = Assert.ThrowsExactly<MigMigrationException>(() => Upgrade(dir, v2));

        Assert.AreEqual(MigCode.VerifyFailed, e.Code);
        StringAssert.Contains(e.Message, "Mig does not choose");
        Assert.AreEqual(oldHash, MigrationPair.Hash(v1File), "the old file, with its late row, is untouched");
        Assert.AreEqual(2L, Read(FileOf(dir, v2), "SELECT count(*) FROM item")[0][0], "the new file keeps what it had (the failed check is only audited in it)");
        Assert.IsFalse(Directory.Exists(Path.Combine(dir, "archive")));
    }

    [TestMethod]
    public void AnotherProcesssUpgradeIsWaitedForThenRefusedWithMig0041()
    {
        var (dir, _) = V1Folder();
        var v2 = SchemaFixture.Model(V2);
        using (OperationLock.Acquire(Path.Combine(PathResolver.Resolve(dir), "app"), "another upgrade", TimeSpan.Zero, CancellationToken.None))
        {
            var started = DateTime.UtcNow;
            var e = Assert.ThrowsExactly<MigMigrationException>(() => Upgrade(dir, v2, new MigUpgradeOptions { LockTimeout = TimeSpan.FromMilliseconds(300) }));
            Assert.AreEqual(MigCode.OperationLocked, e.Code);
            StringAssert.Contains(e.Message, "another upgrade");
            Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250), DateTime.UtcNow - started, "it waited for the lock first");
            Assert.IsFalse(File.Exists(FileOf(dir, v2)));
        }
        Assert.IsTrue(File.Exists(Upgrade(dir, v2)), "once the lock is free the upgrade runs");
    }

    [TestMethod]
    public void TwoUpgradesAtOnceMigrateOnceAndBothGetTheFile()
    {
        var (dir, _) = V1Folder();
        var v2 = SchemaFixture.Model(V2);
        var logs = new[] { new List<string>(), new List<string>() };
        var tasks = logs.Select(log => MigUpgrade.UpgradeAsync(dir, "app", SchemaHash.Compute(v2), SchemaModelJson.Serialize(v2), new MigUpgradeOptions { Log = l => { lock (log) log.Add(l); } })).ToArray();
        var paths = Task.WhenAll(tasks).GetAwaiter().GetResult();
        Assert.AreEqual(FileOf(dir, v2), paths[0]);
        Assert.AreEqual(paths[0], paths[1]);
        Assert.AreEqual(1, logs.Count(l => l.Any(x => x.Contains("is ready", StringComparison.Ordinal))), "exactly one of them migrated:\n" + string.Join("\n---\n", logs.Select(l => string.Join("\n", l))));
        Assert.AreEqual(2L, Read(paths[0], "SELECT count(*) FROM item")[0][0]);
    }

    [TestMethod]
    public void SeveralOlderFilesAreRefusedWithMig0047()
    {
        var (dir, _) = V1Folder();
        var other = SchemaFixture.Model(V3);
        DatabaseCreator.Create(other, FileOf(dir, other), SchemaHash.Compute(other));
        var e = Assert.ThrowsExactly<MigMigrationException>(() => Upgrade(dir, SchemaFixture.Model(V2)));
        Assert.AreEqual(MigCode.NoOldDatabase, e.Code);
        StringAssert.Contains(e.Message, "Nothing was changed");
    }

    [TestMethod]
    public void AHotMigrationInProgressIsNotTouched()
    {
        var (dir, v1File) = V1Folder();
        var v2 = SchemaFixture.Model(V2);
        new Migrator(v2, SchemaHash.Compute(v2), v1File, FileOf(dir, v2), _ => { }).Migrate(offline: false, allowDataLoss: false);
        var e = Assert.ThrowsExactly<MigMigrationException>(() => Upgrade(dir, v2));
        Assert.AreEqual(MigCode.WrongPhase, e.Code);
        StringAssert.Contains(e.Message, "MigReset");
    }

    [TestMethod]
    public void AModelThatDoesNotMatchItsHashIsRefused()
    {
        var v2 = SchemaFixture.Model(V2);
        var e = Assert.ThrowsExactly<MigMigrationException>(() =>
            MigUpgrade.UpgradeAsync(NewFolder(), "app", "0000000000000000", SchemaModelJson.Serialize(v2)).GetAwaiter().GetResult());
        Assert.AreEqual(MigCode.Internal, e.Code);
    }

    [TestMethod]
    public void NoOtherWriterCommitsToTheOldFileWhileItIsCopied()
    {
        var (dir, v1File) = V1Folder();
        var v2 = SchemaFixture.Model(V2);
        var refused = new List<string>();
        void TryWrite(string line)
        {
            // Called from inside the upgrade, after the plan, before the copy commits.
            if (!line.Contains("copy", StringComparison.OrdinalIgnoreCase) || refused.Count > 0) return;
            using var c = MigrationPair.Open(v1File);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO item VALUES (9, 'lost?', 'n')";
            cmd.CommandTimeout = 1;
            try { cmd.ExecuteNonQuery(); refused.Add("committed"); }
            catch (Microsoft.Data.Sqlite.SqliteException e) { refused.Add(e.SqliteErrorCode == 5 ? "busy" : e.Message); }
        }

        var path = Upgrade(dir, v2, new MigUpgradeOptions { Log = TryWrite });

        CollectionAssert.AreEqual(new[] { "busy" }, refused, "a write during the copy fails (SQLITE_BUSY) instead of landing where nobody reads it: " + string.Join(", ", refused));
        Assert.AreEqual(2L, Read(path, "SELECT count(*) FROM item")[0][0]);
    }

    [TestMethod]
    public void AnOlderVersionStartedOnAnUpgradedFolderIsRefusedAndChangesNothing()
    {
        var (dir, _) = V1Folder();
        var v2File = Upgrade(dir, SchemaFixture.Model(V2));
        var hash = MigrationPair.Hash(v2File);

        var e = Assert.ThrowsExactly<MigMigrationException>(() => Upgrade(dir, SchemaFixture.Model(V1)));

        Assert.AreEqual(MigCode.WrongPhase, e.Code);
        StringAssert.Contains(e.Message, "older than its data");
        Assert.AreEqual(hash, MigrationPair.Hash(v2File));
        Assert.IsFalse(File.Exists(FileOf(dir, SchemaFixture.Model(V1))), "no v1 file was made");
        Assert.IsTrue(File.Exists(v2File), "the v2 file stays where it is");
    }

    [TestMethod]
    public void AnotherDatabaseWhoseNameStartsWithThisOnesIsNotTakenForAnOlderFile()
    {
        // Databases "app" and "app-audit" in one folder (two databases of one project, say):
        // "app-audit-<hash>.db" matches "app-*.db" but is the other database's file.
        var dir = NewFolder();
        var audit = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record AuditEvent(long Id, string What);
            """);
        var auditFile = MigUpgrade.UpgradeAsync(dir, "app-audit", SchemaHash.Compute(audit), SchemaModelJson.Serialize(audit), null).GetAwaiter().GetResult();
        Execute(auditFile, "INSERT INTO audit_event VALUES (1, 'kept')");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var before = File.ReadAllBytes(auditFile);

        var appFile = Upgrade(dir, SchemaFixture.Model(V1));

        Assert.AreEqual(FileOf(dir, SchemaFixture.Model(V1)), appFile, "a new file for \"app\", not a migration of the audit file");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(auditFile), "the other database's file is untouched");
        Assert.IsFalse(Directory.Exists(Path.Combine(dir, "archive")), "nothing archived");
    }
}
