using Microsoft.Data.Sqlite;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// What the tool process says when SQLite itself refuses: a file another connection keeps
/// locked, a file that is not a database. Each is a MIGnnnn with what to do, and changes nothing.
/// </summary>
[TestClass]
public sealed class ToolFailureTests
{
    [TestMethod]
    public void AnOldFileLockedByAnotherConnectionIsMig0054AndNothingChanges()
    {
        using var pair = HotPair.Create();
        // Rollback-journal mode and an exclusive transaction: nobody else may even read.
        using (var c = HotDb.OpenReadWrite(pair.OldPath))
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "PRAGMA journal_mode = DELETE";
            Assert.AreEqual("delete", cmd.ExecuteScalar());
        }
        var hash = MigrationPair.Hash(pair.OldPath);
        using (var holder = HotDb.OpenReadWrite(pair.OldPath))
        {
            using (var cmd = holder.CreateCommand())
            {
                cmd.CommandText = "BEGIN EXCLUSIVE;";
                cmd.ExecuteNonQuery();
            }
            var (code, output) = HotTool.Run(pair.ToolArguments("migrate"));

            Assert.AreEqual(1, code, output);
            StringAssert.Contains(output, "error MIG0054");
            StringAssert.Contains(output, "locked");
            StringAssert.Contains(output, "MigStatus");
        }
        Assert.AreEqual(hash, MigrationPair.Hash(pair.OldPath), "the locked file is as it was");
        Assert.IsFalse(File.Exists(pair.NewPath));
    }

    [TestMethod]
    public void AFileThatIsNotADatabaseIsMig0055AndIsLeftAlone()
    {
        using var pair = HotPair.Create();
        File.WriteAllText(pair.OldPath, "this is a text file, not a SQLite database, long enough to fill a header page of one hundred bytes or more.");
        var hash = MigrationPair.Hash(pair.OldPath);

        foreach (var verb in new[] { "plan", "migrate", "status" })
        {
            var (code, output) = HotTool.Run(pair.ToolArguments(verb));
            Assert.AreEqual(1, code, $"{verb}: {output}");
            StringAssert.Contains(output, "error MIG0055", verb);
            StringAssert.Contains(output, pair.OldPath, verb);
        }
        Assert.AreEqual(hash, MigrationPair.Hash(pair.OldPath), "the file is as it was");
        Assert.IsFalse(File.Exists(pair.NewPath));
    }

    [TestMethod]
    [DataRow(13, "MIG0056")] // SQLITE_FULL
    [DataRow(10, "MIG0056")] // SQLITE_IOERR
    [DataRow(8, "MIG0057")]  // SQLITE_READONLY
    [DataRow(14, "MIG0057")] // SQLITE_CANTOPEN
    [DataRow(5, "MIG0054")]  // SQLITE_BUSY
    [DataRow(26, "MIG0055")] // SQLITE_NOTADB
    [DataRow(1, "MIG0091")]  // SQLITE_ERROR: anything else stays "unexpected", with SQLite's message
    public void EverySqliteFailureMapsToACodeWithWhatToDo(int sqliteCode, string expected)
    {
        var e = new SqliteException($"SQLite Error {sqliteCode}: 'something'.", sqliteCode);

        var (code, message) = Mig.Migration.SqliteFailures.Explain(e);

        Assert.AreEqual(expected, code);
        StringAssert.Contains(message, "something");
        if (expected != "MIG0091") StringAssert.Contains(message, "MigStatus");
    }
}
