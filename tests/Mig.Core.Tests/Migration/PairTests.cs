using Microsoft.Data.Sqlite;
using Mig.Migration;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// Every operation acts on the pair the old file recorded at MigMigrate, whatever path the
/// operator's checkout computes: another -p:MigNewDatabase, another schema, the old path
/// spelled through a symlink or <c>..</c>. What contradicts the record is refused with a code
/// and changes no file; nothing deletes a file that is not this migration's unfinished new file.
/// </summary>
[TestClass]
public sealed class PairTests
{
    /// <summary>A third schema: what a checkout at another commit computes its own new file from.</summary>
    private const string V3 = HotSchemas.V2 + """

        [AutoIncPK(nameof(Id))]
        public sealed record Shelf(long Id, string Label);
        """;

    /// <summary>A folder holding only this schema's file: the tool finds it as the live database, and MigStatus must not call it an old file.</summary>
    [TestMethod]
    public void StatusOfAFileAlreadyAtThisSchemaSaysSoRatherThanNamingAnOldFile()
    {
        using var pair = MigrationPair.Create("[PK(nameof(Id))] public sealed record Note(long Id, string Text);", "INSERT INTO note VALUES (1, 'a')");
        var v2 = SchemaFixture.Model("[PK(nameof(Id))] public sealed record Note(long Id, string Text, string? Tag);");
        pair.Migrator(v2).Migrate(offline: true, allowDataLoss: false);

        var status = new Migrator(v2, SchemaHash.Compute(v2), pair.NewPath, pair.NewPath, _ => { }).Status();
        Assert.AreEqual("done", status.Phase, status.Phase + ": " + status.Next);
        Assert.AreEqual($"Nothing to do: {pair.NewPath} is this schema's database, and it is live.", status.Next);
        Assert.AreEqual(pair.NewPath, status.Live);
    }

    [TestMethod]
    public void AfterAnInPlaceArchiveWithNoLiveOldFileTheReadyNewFileIsDone()
    {
        // What MigStatus sees once MigArchiveOld retired the old file and auto-discovery finds no
        // other live file: no old file, and a ready new file built from one that is not "this" old file.
        using var pair = MigrationPair.Create("""
            [PK(nameof(Id))]
            public sealed record Note(long Id, string Text);
            """, "INSERT INTO note VALUES (1, 'a')");
        var v2 = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Note(long Id, string Text, string? Tag);
            """);
        var migrator = pair.Migrator(v2);
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        migrator.Cutover();
        migrator.ArchiveOld(null);

        var none = Path.Combine(pair.Directory, "app-<none>.db");
        var status = new Migrator(v2, SchemaHash.Compute(v2), none, pair.NewPath, _ => { }).Status();
        Assert.AreEqual("done", status.Phase, string.Join("\n", status.Lines()));
    }

    [TestMethod]
    public void ResetAfterCutoverWithoutTheMigrateTimeNewPathRefusesAndTheOldFileStaysPaused()
    {
        using var pair = HotPair.Create();
        var custom = Path.Combine(pair.Directory, "custom-v2.db");
        Seed(pair);
        Tool(pair, "migrate", "--new-database", custom);
        Tool(pair, "drain", "--new-database", custom);
        Tool(pair, "cutover", "--new-database", custom);
        var before = Hashes(pair.OldPath, custom);

        // The operator forgets -p:MigNewDatabase: the checkout computes app-<hash>.db, which does not exist.
        var reset = HotTool.Run(pair.ToolArguments("reset"));

        Assert.AreEqual(1, reset.ExitCode, HotTool.Show(reset));
        StringAssert.Contains(reset.Output, "error MIG0040", HotTool.Show(reset));
        Assert.AreEqual(before, Hashes(pair.OldPath, custom), "a refused reset changes neither file");
        AssertOldPaused(pair.OldPath);
        Assert.AreEqual(Protocol.Ready, HotDb.Status(custom), "the new file serves on");
    }

    [TestMethod]
    public void ResetAfterCutoverFromACheckoutAtAnotherSchemaRefuses()
    {
        using var pair = HotPair.Create();
        Seed(pair);
        Tool(pair, "migrate");
        Tool(pair, "drain");
        Tool(pair, "cutover");
        var v3Model = Path.Combine(pair.Directory, "model-v3.json");
        File.WriteAllText(v3Model, SchemaModelJson.Serialize(SchemaFixture.Model(V3)));
        var before = Hashes(pair.OldPath, pair.NewPath);

        foreach (var verb in new[] { "reset", "drain", "cutover", "migrate", "verify" })
        {
            var run = HotTool.Run(WithModel(pair.ToolArguments(verb), v3Model));
            Assert.AreEqual(1, run.ExitCode, $"{verb}: {HotTool.Show(run)}");
            StringAssert.Matches(run.Output, new System.Text.RegularExpressions.Regex("error MIG004[04]"), verb);
        }
        Assert.AreEqual(before, Hashes(pair.OldPath, pair.NewPath), "no refused operation changed a file");
        AssertOldPaused(pair.OldPath);
        var status = HotTool.Run(WithModel(pair.ToolArguments("status"), v3Model));
        Assert.AreEqual(0, status.ExitCode, HotTool.Show(status));
        StringAssert.Contains(status.Output, "Mig status: cut-over", HotTool.Show(status));
        StringAssert.Contains(status.Output, pair.NewPath, "the status reports the recorded pair");
    }

    [TestMethod]
    public void ResetRefusesOnceTheOldFileRecordsACutoverEvenWhenTheNewFileIsGone()
    {
        using var pair = HotPair.Create();
        Seed(pair);
        var migrator = pair.Migrator();
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        migrator.Cutover();
        var moved = Path.Combine(pair.Directory, "moved-away.db");
        File.Move(pair.NewPath, moved);

        var e = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator().Reset());

        Assert.AreEqual(MigCode.WrongPhase, e.Code, e.Message);
        StringAssert.Contains(e.Message, pair.NewPath, "the message names the recorded new file");
        AssertOldPaused(pair.OldPath);
        Assert.IsTrue(File.Exists(moved));
        var status = pair.Migrator().Status();
        StringAssert.DoesNotMatch(status.Next, new System.Text.RegularExpressions.Regex("run MigReset"), string.Join("\n", status.Lines()));
    }

    [TestMethod]
    public void AnExplicitOtherNewPathIsRefusedByEveryOperationAndChangesNothing()
    {
        using var pair = HotPair.Create();
        Seed(pair);
        pair.Migrator().Migrate(offline: false, allowDataLoss: false);
        var other = Path.Combine(pair.Directory, "other.db");
        var wrong = new Migrator(HotSchemas.ModelV2, HotPair.HashV2, pair.OldPath, other, _ => { });
        var before = Hashes(pair.OldPath, pair.NewPath);

        foreach (var (name, call) in new (string, Action)[]
        {
            ("migrate", () => wrong.Migrate(offline: false, allowDataLoss: false)),
            ("drain", wrong.Drain),
            ("verify", () => wrong.Verify()),
            ("cutover", () => wrong.Cutover()),
            ("reset", wrong.Reset),
            ("archive", () => wrong.ArchiveOld(null)),
        })
        {
            var e = Assert.ThrowsExactly<MigOperationException>(call, name);
            Assert.AreEqual("MIG0044", e.Code, $"{name}: {e.Message}");
            StringAssert.Contains(e.Message, pair.NewPath, $"{name} names the recorded new file");
            Assert.IsFalse(File.Exists(other), $"{name} created nothing at the other path");
            Assert.AreEqual(before, Hashes(pair.OldPath, pair.NewPath), $"{name} changed neither file");
        }
        Assert.AreEqual(Protocol.Recording, HotDb.Marker(pair.OldPath), "the old file still records");
    }

    [TestMethod]
    public void ResetOfAnotherOldFileNeverDeletesThisPairsNewFile()
    {
        using var pair = HotPair.Create();
        Seed(pair);
        // A copy of the old file taken while it recorded (a restored backup), pointed at the same new file.
        pair.Migrator().Migrate(offline: false, allowDataLoss: false);
        var copy = Path.Combine(pair.Directory, "copy-of-old.db");
        using (var c = HotDb.OpenReadOnly(pair.OldPath))
        using (var d = new SqliteConnection($"Data Source={copy};Pooling=False"))
        {
            d.Open();
            c.BackupDatabase(d);
        }
        var before = Hashes(pair.OldPath, pair.NewPath);

        var e = Assert.ThrowsExactly<MigOperationException>(() => new Migrator(HotSchemas.ModelV2, HotPair.HashV2, copy, pair.NewPath, _ => { }).Reset());

        Assert.AreEqual("MIG0044", e.Code, e.Message);
        Assert.AreEqual(before, Hashes(pair.OldPath, pair.NewPath), "the new file belongs to the other old file and stays");
        Assert.AreEqual(Protocol.Recording, HotDb.Marker(copy), "nothing was removed from the copy either");
        var drain = Assert.ThrowsExactly<MigOperationException>(() => new Migrator(HotSchemas.ModelV2, HotPair.HashV2, copy, pair.NewPath, _ => { }).Drain());
        Assert.AreEqual("MIG0044", drain.Code, drain.Message);
    }

    [TestMethod]
    public void RevertingTheSchemaAfterAnInPlaceArchiveNeverDeletesTheRetiredFile()
    {
        using var pair = HotPair.Create();
        Seed(pair);
        Tool(pair, "migrate");
        Tool(pair, "drain");
        Tool(pair, "cutover");
        Tool(pair, "archive-old");
        var retired = MigrationPair.Hash(pair.OldPath);

        // The checkout goes back to v1: its file name is the retired file's, and the live file is v2's.
        var v1Model = Path.Combine(pair.Directory, "model-v1.json");
        File.WriteAllText(v1Model, SchemaModelJson.Serialize(HotSchemas.ModelV1));
        string[] Args(string verb) => [verb, "--model", v1Model, "--database-dir", pair.Directory, "--database-name", HotPair.Name];

        var status = HotTool.Run(Args("status"));
        Assert.AreEqual(0, status.ExitCode, HotTool.Show(status));
        var next = status.Output.Split('\n').Single(l => l.TrimStart().StartsWith("next:", StringComparison.Ordinal));
        StringAssert.DoesNotMatch(next, new System.Text.RegularExpressions.Regex("MigReset"), "the status must not advise deleting the retired file");
        StringAssert.Contains(next, "retired");
        foreach (var verb in new[] { "reset", "migrate" })
        {
            var run = HotTool.Run(Args(verb));
            Assert.AreEqual(1, run.ExitCode, $"{verb}: {HotTool.Show(run)}");
            StringAssert.Contains(run.Output, "error MIG0046", verb);
            Assert.IsTrue(File.Exists(pair.OldPath), $"{verb} kept the retired file");
            Assert.AreEqual(retired, MigrationPair.Hash(pair.OldPath), $"{verb} left the retired file as it was");
        }
    }

    [TestMethod]
    public void ThePairLockHoldsWhateverTheSpellingOfTheOldPath()
    {
        using var pair = HotPair.Create();
        var links = Directory.CreateDirectory(Path.Combine(pair.Directory, "links")).FullName;
        var viaLink = Path.Combine(links, "live.db");
        File.CreateSymbolicLink(viaLink, pair.OldPath);
        var linkedDir = Path.Combine(pair.Directory, "dir-link");
        Directory.CreateSymbolicLink(linkedDir, pair.Directory);
        var spellings = new[]
        {
            viaLink,
            Path.Combine(links, "..", Path.GetFileName(pair.OldPath)),
            Path.Combine(linkedDir, Path.GetFileName(pair.OldPath)),
            // A symlinked folder followed by "..": the kernel goes to the link target's parent, not back to "links".
            Path.Combine(linkedDir, "links", "..", Path.GetFileName(pair.OldPath)),
            Path.GetRelativePath(Environment.CurrentDirectory, pair.OldPath),
        };

        using (OperationLock.Acquire(pair.OldPath, "test"))
        {
            foreach (var spelling in spellings)
            {
                var e = Assert.ThrowsExactly<MigOperationException>(() => OperationLock.Acquire(spelling, "second"), spelling);
                Assert.AreEqual(MigCode.OperationLocked, e.Code, spelling);
                var viaMigrator = Assert.ThrowsExactly<MigOperationException>(
                    () => new Migrator(HotSchemas.ModelV2, HotPair.HashV2, spelling, pair.NewPath, _ => { }).Migrate(offline: false, allowDataLoss: false), spelling);
                Assert.AreEqual(MigCode.OperationLocked, viaMigrator.Code, spelling);
            }
        }
        Assert.IsFalse(File.Exists(pair.NewPath), "no locked operation started");
    }

    [TestMethod]
    public void AMigrationStartedThroughASymlinkContinuesThroughTheRealPathAndBack()
    {
        using var pair = HotPair.Create();
        Seed(pair);
        var linkedDir = Path.Combine(pair.Directory, "dir-link");
        Directory.CreateSymbolicLink(linkedDir, pair.Directory);
        var oldViaLink = Path.Combine(linkedDir, Path.GetFileName(pair.OldPath));
        var newViaLink = Path.Combine(linkedDir, Path.GetFileName(pair.NewPath));

        new Migrator(HotSchemas.ModelV2, HotPair.HashV2, oldViaLink, newViaLink, _ => { }).Migrate(offline: false, allowDataLoss: false);
        using (var w = HotDb.OpenReadWrite(pair.OldPath))
        using (var cmd = w.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO author(name, score) VALUES ('late', 1)";
            cmd.ExecuteNonQuery();
        }
        pair.Migrator().Drain();
        new Migrator(HotSchemas.ModelV2, HotPair.HashV2, Path.Combine(pair.Directory, "links-none", "..", Path.GetFileName(pair.OldPath)), newViaLink, _ => { }).Cutover();

        Assert.AreEqual("cut-over", pair.Migrator().Status().Phase);
        pair.AssertNewIsOldTransformed(null, "after a migration run through several spellings");
    }

    private static void Seed(HotPair pair) => pair.Seed(new HotData(), "s", 20, 2, new Random(7));

    private static void Tool(HotPair pair, string verb, params string[] extra)
    {
        var run = HotTool.Run([.. pair.ToolArguments(verb), .. extra]);
        Assert.AreEqual(0, run.ExitCode, $"{verb}: {HotTool.Show(run)}");
    }

    private static string[] WithModel(string[] args, string model)
    {
        var copy = (string[])args.Clone();
        copy[Array.IndexOf(copy, "--model") + 1] = model;
        return copy;
    }

    private static (string? Old, string? New) Hashes(string oldPath, string newPath) =>
        (File.Exists(oldPath) ? MigrationPair.Hash(oldPath) : null, File.Exists(newPath) ? MigrationPair.Hash(newPath) : null);

    /// <summary>The old file still refuses writes: the old service must not write where nobody reads.</summary>
    private static void AssertOldPaused(string oldPath)
    {
        Assert.AreEqual(Protocol.Draining, HotDb.Marker(oldPath), "the old file keeps its marker");
        using var c = HotDb.OpenReadWrite(oldPath);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO author(name, score) VALUES ('split brain', 1)";
        var e = Assert.ThrowsExactly<SqliteException>(() => cmd.ExecuteNonQuery(), "the guards still refuse writes");
        StringAssert.Contains(e.Message, Protocol.WritesPausedMessage);
    }
}
