using Microsoft.Data.Sqlite;
using Mig.Sql;

namespace Mig.Core.Tests;

[TestClass]
public sealed class DatabaseCreatorTests
{
    private const string Source = """
        [PK(nameof(Id))]
        public sealed record Role(long Id, string Name);
        public static class Seeds { public static Role Admin => new(1, "admin"); }
        """;

    [TestMethod]
    public void CreatesACompleteFileAndNothingElse()
    {
        var model = SchemaFixture.Model(Source);
        var hash = SchemaHash.Compute(model);
        var dir = TestDatabase.NewDirectory();
        try
        {
            var path = Path.Combine(dir, Protocol.DatabaseFileName("app", hash));
            DatabaseCreator.Create(model, path, hash);

            CollectionAssert.AreEqual(new[] { Path.GetFileName(path) }, Directory.GetFiles(dir).Select(Path.GetFileName).ToArray(), "no temp, journal or WAL file is left");
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
            connection.Open();
            string? Scalar(string sql)
            {
                using var cmd = connection.CreateCommand();
                cmd.CommandText = sql;
                return Convert.ToString(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }
            Assert.AreEqual("wal", Scalar("PRAGMA journal_mode"));
            Assert.AreEqual(Protocol.Ready, Scalar($"SELECT status FROM {Protocol.StatusTable}"));
            Assert.AreEqual(hash, Scalar($"SELECT value FROM {Protocol.InfoTable} WHERE key = 'schema_hash'"));
            Assert.AreEqual("admin", Scalar("SELECT name FROM role WHERE id = 1"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void CreatesWithTheGivenStatus()
    {
        var model = SchemaFixture.Model(Source);
        var dir = TestDatabase.NewDirectory();
        try
        {
            var path = Path.Combine(dir, "new.db");
            DatabaseCreator.Create(model, path, "h", Protocol.Migrating);
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT status FROM {Protocol.StatusTable}";
            Assert.AreEqual(Protocol.Migrating, cmd.ExecuteScalar());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void RefusesToOverwriteAnExistingFile()
    {
        var model = SchemaFixture.Model(Source);
        var dir = TestDatabase.NewDirectory();
        try
        {
            var path = Path.Combine(dir, "app.db");
            byte[] original = [.. "not a database, but mine"u8];
            File.WriteAllBytes(path, original);
            var before = File.GetLastWriteTimeUtc(path);

            var e = Assert.ThrowsExactly<DatabaseCreationException>(() => DatabaseCreator.Create(model, path, SchemaHash.Compute(model)));
            Assert.AreEqual("MIG0030", e.Code);
            Assert.AreEqual(MigCode.DatabaseExists, e.Code);
            StringAssert.Contains(e.Message, path);

            CollectionAssert.AreEqual(original, File.ReadAllBytes(path));
            Assert.AreEqual(before, File.GetLastWriteTimeUtc(path));
            CollectionAssert.AreEqual(new[] { "app.db" }, Directory.GetFiles(dir).Select(Path.GetFileName).ToArray(), "no temp file is left");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void RefusesToOverwriteADatabaseItCreated()
    {
        var model = SchemaFixture.Model(Source);
        using var db = TestDatabase.Create(model);
        db.Execute("INSERT INTO role VALUES (2, 'mine')");
        db.Connection.Close();
        var bytes = File.ReadAllBytes(db.Path);

        var e = Assert.ThrowsExactly<DatabaseCreationException>(() => DatabaseCreator.Create(model, db.Path, SchemaHash.Compute(model)));
        Assert.AreEqual("MIG0030", e.Code);
        CollectionAssert.AreEqual(bytes, File.ReadAllBytes(db.Path));
        CollectionAssert.AreEqual(new[] { "test.db" }, Directory.GetFiles(db.Directory).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void MissingDirectoryIsAnOperationError()
    {
        var model = SchemaFixture.Model(Source);
        var dir = TestDatabase.NewDirectory();
        try
        {
            var path = Path.Combine(dir, "missing", "app.db");
            var e = Assert.ThrowsExactly<DatabaseCreationException>(() => DatabaseCreator.Create(model, path, "h"));
            Assert.AreEqual(MigCode.DatabaseNotWritable, e.Code);
            Assert.IsEmpty(Directory.GetFileSystemEntries(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void AFailedCreateLeavesNoFile()
    {
        // A model that never went through the SQL check: SQLite rejects its default at creation.
        var model = SchemaFixture.Model(Source);
        var broken = model with { Tables = [model.Tables[0] with { Columns = [model.Tables[0].Columns[0], model.Tables[0].Columns[1] with { DefaultExpression = "1 +" }] }] };
        var dir = TestDatabase.NewDirectory();
        try
        {
            var path = Path.Combine(dir, "app.db");
            Assert.ThrowsExactly<SchemaSqlException>(() => DatabaseCreator.Create(broken, path, "h"));
            Assert.IsEmpty(Directory.GetFileSystemEntries(dir), "neither the real name nor a temp file may remain");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
