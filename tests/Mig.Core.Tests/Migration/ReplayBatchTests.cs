using Mig.Migration;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// How replay commits: every 2,000 log entries, with the checkpoint, wherever that falls,
/// also inside one long transaction of a writer that does not use MigDatabase (all its
/// entries share one <c>txn_id</c>): replay reads rows from the old file, so any prefix of
/// the log converges, and a drain killed half way keeps what it applied.
/// A write that cannot be replayed (a key that does not convert, MIG0052) is the
/// probe: what its failure rolls back shows where the commits were.
/// </summary>
[TestClass]
public sealed class ReplayBatchTests
{
    private const string V1 = """
        [PK(nameof(Id))]
        public sealed record Note(long Id, string Text);
        """;

    // product's INT key becomes the INTEGER PRIMARY KEY (the rowid): a key that is not a number cannot be replayed.
    private const string V2 = """
        [PK(nameof(Id))]
        public sealed record Note(long Id, string Text);
        [PK(nameof(Id))]
        public sealed record Product(long Id, string Name);
        """;

    private static readonly Lazy<SchemaModel> V2Model = new(() => SchemaFixture.Model(V2));

    private const int Transactions = 50;
    private const int WritesPerTransaction = 100; // 5,000 entries: more than one batch of 2,000

    /// <summary>Writes 5,000 rows in 50 transactions and then one bad key; <paramref name="likeMigDatabase"/> starts a txn_id per transaction.</summary>
    private static (Migrator Migrator, MigrationPair Pair) Recorded(bool likeMigDatabase)
    {
        var pair = MigrationPair.Create(V1, "CREATE TABLE product(id INT PRIMARY KEY, name TEXT NOT NULL)");
        var migrator = pair.Migrator(V2Model.Value);
        migrator.Migrate(offline: false, allowDataLoss: false);
        using var c = MigrationPair.Open(pair.OldPath);
        var id = 0;
        for (var t = 0; t < Transactions; t++)
        {
            using var txn = c.BeginTransaction();
            using var cmd = c.CreateCommand();
            cmd.Transaction = txn;
            if (likeMigDatabase)
            {
                cmd.CommandText = $"UPDATE {Protocol.MarkerTable} SET txn_seq = txn_seq + 1 WHERE id = 0";
                cmd.ExecuteNonQuery();
            }
            cmd.CommandText = "INSERT INTO note(id, text) VALUES (@id, 'n')";
            var p = cmd.Parameters.AddWithValue("@id", 0);
            for (var i = 0; i < WritesPerTransaction; i++)
            {
                p.Value = ++id;
                cmd.ExecuteNonQuery();
            }
            txn.Commit();
        }
        pair.Execute(pair.OldPath, "INSERT INTO product(id, name) VALUES ('x1', 'not a number')");
        return (migrator, pair);
    }

    private static long Checkpoint(MigrationPair pair) =>
        long.Parse((string)pair.Scalar(pair.NewPath, $"SELECT value FROM {Protocol.InfoTable} WHERE key = 'checkpoint'")!, System.Globalization.CultureInfo.InvariantCulture);

    [TestMethod]
    [DataRow(false, DisplayName = "a foreign writer: one txn_id for everything")]
    [DataRow(true, DisplayName = "MigDatabase: one txn_id per transaction")]
    public void LongRunsOfWritesAreCommittedInBoundedBatches(bool likeMigDatabase)
    {
        var (migrator, pair) = Recorded(likeMigDatabase);
        using var _ = pair;
        Assert.AreEqual(likeMigDatabase ? Transactions : 1L, pair.Scalar(pair.OldPath, $"SELECT count(DISTINCT txn_id) FROM {Protocol.LogTable} WHERE table_name = 'note'"));

        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Drain());

        Assert.AreEqual(MigCode.UnconvertibleKey, e.Code, e.Message);
        Assert.AreEqual(4000L, Checkpoint(pair), "two whole batches of 2,000 entries were committed before the bad key's batch");
        Assert.AreEqual(4000L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM note"), "what the checkpoint covers is in the new file, nothing more");
        var status = migrator.Status();
        // 5,001 pending entries are more than MigDrain's tail: it stopped while catching up, before pausing writes.
        Assert.AreEqual("recording", status.Phase);
        Assert.AreEqual(Protocol.Recording, status.OldMarker, "writes were never paused");
        Assert.AreEqual($"failed {MigCode.UnconvertibleKey}", status.Audit[^1].Result, "the failure is in the audit trail");
        StringAssert.StartsWith(status.Next, $"The last MigDrain failed {MigCode.UnconvertibleKey}: ", "MigStatus says why before saying what to run");
        StringAssert.Contains(status.Next, "MigReset");
    }
}
