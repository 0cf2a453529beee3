using Mig.Migration;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// The new file MigMigrate builds keeps the page size of the old file (an operator may have chosen
/// one other than SQLite's 4096 for the service), online and offline.
/// </summary>
[TestClass]
public sealed class NewFilePageSizeTests
{
    private const string V1 = WalSwitchTests.V1;
    private const string V2 = WalSwitchTests.V2;

    [TestMethod]
    [DataRow(8192L, true)]
    [DataRow(8192L, false)]
    [DataRow(1024L, false)]
    public void TheNewFileHasTheOldFilesPageSize(long pageSize, bool offline)
    {
        using var pair = MigrationPair.Create(V1,
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO note(text) SELECT 'note ' || i FROM n");
        // VACUUM rewrites the file with the new page size; it cannot in WAL mode, so leave it for a moment.
        pair.Execute(pair.OldPath, $"PRAGMA journal_mode = DELETE; PRAGMA page_size = {pageSize}; VACUUM; PRAGMA journal_mode = WAL");
        Assert.AreEqual(pageSize, pair.Scalar(pair.OldPath, "PRAGMA page_size"), "the old file was rewritten with the page size");

        pair.Migrator(SchemaFixture.Model(V2)).Migrate(offline, allowDataLoss: false);

        Assert.AreEqual(pageSize, pair.Scalar(pair.NewPath, "PRAGMA page_size"));
        Assert.AreEqual(2000L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM note"));
        Assert.AreEqual(offline ? Protocol.Ready : Protocol.Migrating, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"));
    }
}
