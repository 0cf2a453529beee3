using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Consumer.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Mig;
using Mig.Migration;
using Mig.Schema;

namespace Consumer.Tests;

/// <summary>
/// [MigrateFrom] through the packed SDK: the attribute compiles in a consumer's schema, the build puts
/// the expression into the model, and a migration of a file without the column fills it from the old rows,
/// read back through the generated methods.
/// </summary>
[TestClass]
public sealed class MigrateFromTests
{
    [TestMethod]
    public async Task AnOldFileWithoutTheColumnMigratesToRowsFilledByTheExpression()
    {
        var model = SchemaModelJson.Deserialize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "model.json")));
        Assert.AreEqual("first_name || ' ' || last_name", model.FindTable("person")!.FindColumn("full_name")!.MigrateFrom);

        var dir = Path.Combine(Path.GetTempPath(), "mig-consumer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            // The previous version of the app: people without full_name.
            var oldPath = Path.Combine(dir, "consumer-old.db");
            using (var c = new SqliteConnection($"Data Source={oldPath};Pooling=False"))
            {
                c.Open();
                using var cmd = c.CreateCommand();
                cmd.CommandText = "CREATE TABLE person(id INTEGER PRIMARY KEY AUTOINCREMENT, first_name TEXT NOT NULL, last_name TEXT NOT NULL);" +
                                  "INSERT INTO person(first_name, last_name) VALUES ('Ada', 'Lovelace'), ('Alan', 'Turing');";
                cmd.ExecuteNonQuery();
            }
            var newPath = Path.Combine(dir, Schema.MigSchemaInfo.DatabaseFileName);
            var migrator = new Migrator(model, Schema.MigSchemaInfo.Hash, oldPath, newPath, _ => { });
            var plan = migrator.Plan(online: false);
            Assert.IsEmpty(plan.Errors, string.Join("\n", plan.Errors.Select(e => e.Message)));
            Assert.AreEqual("new column, [MigrateFrom] first_name || ' ' || last_name",
                plan.Tables.Single(t => t.Table.Name == "person").Columns.Single(c => c.Column.Name == "full_name").Reason);

            migrator.Migrate(offline: true, allowDataLoss: false);

            using var db = new MigDatabase(newPath);
            var people = await db.ReadAsync(txn => Person.SelectAllAsync(txn));
            CollectionAssert.AreEqual(new[] { "Ada Lovelace", "Alan Turing" }, people.Select(c => c.FullName).ToArray());
            var id = await db.WriteAsync(txn => Person.InsertAsync(txn, new Person(0, "Grace", "Hopper", "Rear Admiral Hopper")));
            Assert.AreEqual(3L, id, "the AUTOINCREMENT counter came along");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
