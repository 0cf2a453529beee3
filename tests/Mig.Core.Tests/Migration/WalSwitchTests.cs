using Microsoft.Data.Sqlite;
using Mig.Migration;
using Mig.Sql;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// The switches to WAL (the old file before the copy, the new file after it) when another
/// connection keeps a transaction open on the file: a clear MIG0049 within the patience and
/// nothing changed, or, once the copy has committed, a warning and a switch at cutover.
/// </summary>
[TestClass]
public sealed class WalSwitchTests
{
    /// <summary>Also NewFilePageSizeTests' schemas.</summary>
    internal const string V1 = """
        [AutoIncPK(nameof(Id))]
        public sealed record Note(long Id, string Text);
        """;

    internal const string V2 = """
        [AutoIncPK(nameof(Id))]
        [Default(nameof(Pinned), "0")]
        public sealed record Note(long Id, string Text, long Pinned);
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    /// <summary>A connection with an open read transaction: the file stays shared-locked until disposed.</summary>
    private static SqliteConnection HoldRead(string path)
    {
        var c = MigrationPair.Open(path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "BEGIN; SELECT count(*) FROM sqlite_schema;";
        cmd.ExecuteScalar();
        return c;
    }

    [TestMethod]
    // Before the fix a held old file kept MigMigrate retrying for up to 50 minutes; this bounds a regression.
#pragma warning disable MSTEST0045
    [Timeout(120_000)]
#pragma warning restore MSTEST0045
    public void AnOldFileInRollbackModeThatAReaderHoldsIsRefusedAndNothingChanges()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO note(text) VALUES ('a'), ('b')");
        Assert.AreEqual("delete", pair.Scalar(pair.OldPath, "PRAGMA journal_mode = DELETE"));
        var hash = MigrationPair.Hash(pair.OldPath);
        var v2 = SchemaFixture.Model(V2);
        var migrator = new Migrator(v2, SchemaHash.Compute(v2), pair.OldPath, pair.NewPath, pair.Log.Add) { BusyPatience = Patience };

        MigOperationException e;
        using (HoldRead(pair.OldPath))
            e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline: false, allowDataLoss: false));

        Assert.AreEqual(MigCode.WalSwitchBusy, e.Code, e.Message);
        StringAssert.Contains(e.Message, "within 2 s");
        StringAssert.Contains(e.Message, "nothing was changed");
        Assert.AreEqual(hash, MigrationPair.Hash(pair.OldPath));
        Assert.AreEqual("delete", pair.Scalar(pair.OldPath, "PRAGMA journal_mode"));
        Assert.IsFalse(File.Exists(pair.NewPath));
        Assert.AreEqual("none", migrator.Status().Phase);

        // Once the reader is gone the same call runs.
        migrator.Migrate(offline: false, allowDataLoss: false);
        Assert.AreEqual("recording", migrator.Status().Phase);
    }

    [TestMethod]
    // Before the fix the held new file kept MigMigrate retrying for up to 50 minutes.
#pragma warning disable MSTEST0045
    [Timeout(120_000)]
#pragma warning restore MSTEST0045
    public void ANewFileHeldAfterTheCopyCommitsStaysInRollbackModeUntilCutoverSwitchesIt()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO note(text) VALUES ('a'), ('b')");
        var v2 = SchemaFixture.Model(V2);
        SqliteConnection? holder = null;
        var migrator = new Migrator(v2, SchemaHash.Compute(v2), pair.OldPath, pair.NewPath, line =>
        {
            pair.Log.Add(line);
            if (line.Contains("committed the copy", StringComparison.Ordinal)) holder = HoldRead(pair.NewPath);
        }) { BusyPatience = Patience };

        try
        {
            migrator.Migrate(offline: false, allowDataLoss: false);
        }
        finally
        {
            holder?.Dispose();
        }

        Assert.IsNotNull(holder, "the copy logged its commit");
        Assert.IsTrue(pair.Log.Any(l => l.StartsWith("Mig: warning:", StringComparison.Ordinal) && l.Contains("until MigCutover switches it to WAL", StringComparison.Ordinal)),
            string.Join("\n", pair.Log));
        Assert.AreEqual("recording", migrator.Status().Phase, "the migration is in place: MigMigrate succeeded");
        Assert.AreNotEqual("wal", pair.Scalar(pair.NewPath, "PRAGMA journal_mode"));

        pair.WriteOld("INSERT INTO note(text) VALUES ('c')");
        migrator.Drain();
        migrator.Cutover();

        Assert.AreEqual("wal", pair.Scalar(pair.NewPath, "PRAGMA journal_mode"));
        Assert.AreEqual("cut-over", migrator.Status().Phase);
        RowAssert.AreEqual([[1L, "a", 0L], [2L, "b", 0L], [3L, "c", 0L]], pair.Rows(pair.NewPath, "SELECT id, text, pinned FROM note ORDER BY id"));
    }
}
