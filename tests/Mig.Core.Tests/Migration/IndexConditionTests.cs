using Microsoft.Data.Sqlite;
using Mig.Migration;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// The condition of a partial index, read from the SQL SQLite stores for it: the first WHERE outside quotes,
/// brackets, comments and parentheses. Each case is created in a real file, and the condition read back
/// selects the same rows as the index does.
/// </summary>
[TestClass]
public sealed class IndexConditionTests
{
    [TestMethod]
    [DataRow("CREATE UNIQUE INDEX u ON t(a) WHERE b = 1", "b = 1")]
    [DataRow("CREATE UNIQUE INDEX \"where\" ON \"WHERE t\"(\"a where\") WHERE b = 1", "b = 1")]
    [DataRow("CREATE UNIQUE INDEX [where] ON `where`([where (]) where b = 'where (' AND a > 0", "b = 'where (' AND a > 0")]
    [DataRow("CREATE UNIQUE INDEX u ON t(a COLLATE NOCASE, (a || 'WHERE')) /* WHERE x */ -- WHERE y\n WHERE (b = 1)", "(b = 1)")]
    [DataRow("CREATE UNIQUE INDEX u ON t(a)", null)]
    [DataRow("CREATE INDEX u ON t(a)WHERE\"b\"=1", "\"b\"=1")]
    [DataRow("CREATE UNIQUE INDEX nowhere ON t(a) WHERE b = 'it''s' AND a = 'x'", "b = 'it''s' AND a = 'x'")]
    public void TheConditionIsWhatFollowsTheFirstWhereOutsideQuotesAndParentheses(string sql, string? condition)
    {
        Assert.AreEqual(condition, IndexCondition.Of(sql));
    }

    [TestMethod]
    public void TheConditionReadBackSelectsTheRowsTheIndexHolds()
    {
        using var c = new SqliteConnection("Data Source=:memory:");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            CREATE TABLE "where t"("a where" TEXT, b INTEGER, [where (] TEXT);
            CREATE UNIQUE INDEX "where" ON "where t"("a where") /* WHERE b = 2 */ WHERE b = 1 AND [where (] <> 'where (';
            INSERT INTO "where t" VALUES ('x', 1, 'y'), ('x', 2, 'y'), ('x', 1, 'where ('), ('z', 1, 'y');
            """;
        cmd.ExecuteNonQuery();
        cmd.CommandText = "SELECT sql FROM sqlite_schema WHERE name = 'where'";
        var condition = IndexCondition.Of((string)cmd.ExecuteScalar()!);
        Assert.AreEqual("b = 1 AND [where (] <> 'where ('", condition);
        cmd.CommandText = $"SELECT group_concat(\"a where\" || b, ',' ORDER BY rowid) FROM \"where t\" WHERE {condition}";
        Assert.AreEqual("x1,z1", cmd.ExecuteScalar());
    }
}
