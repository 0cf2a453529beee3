using System.Linq;
using System.Threading.Tasks;
using Consumer.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Consumer.Tests;

/// <summary>[Strict], [Check] on a record and a property, and partial [Unique]/[Index] through the generated methods.</summary>
[TestClass]
public sealed class ConstraintTests
{
    private static Product New(string sku, string name = "Lamp", double list = 20, double sale = 15, bool active = true) => new(0, sku, name, list, sale, active);

    private static async Task AssertRefused(TestDatabase t, Product row, int extendedCode, string what)
    {
        var before = (await t.Db.ReadAsync(txn => Product.CountAsync(txn)));
        var e = await Assert.ThrowsExactlyAsync<SqliteException>(() => t.Db.WriteAsync(txn => Product.InsertAsync(txn, row)), what);
        Assert.AreEqual(extendedCode, e.SqliteExtendedErrorCode, $"{what}: {e.Message}");
        Assert.AreEqual(before, await t.Db.ReadAsync(txn => Product.CountAsync(txn)), $"{what}: nothing written");
    }

    [TestMethod]
    public async Task RowsThatKeepTheConstraintsAreStoredAndReadBack()
    {
        using var t = new TestDatabase();
        var id = await t.Db.WriteAsync(txn => Product.InsertAsync(txn, New("L-1")));
        var read = await t.Db.ReadAsync(txn => Product.SelectBySkuAsync(txn, "L-1"));
        CollectionAssert.AreEqual(new[] { New("L-1") with { Id = id } }, read.ToArray());
    }

    [TestMethod]
    public async Task ATableCheckOverTwoColumnsRefusesARow()
    {
        using var t = new TestDatabase();
        await AssertRefused(t, New("L-2", list: 10, sale: 12), 275, "sale above list price"); // SQLITE_CONSTRAINT_CHECK
    }

    [TestMethod]
    public async Task AColumnCheckRefusesARow()
    {
        using var t = new TestDatabase();
        await AssertRefused(t, New("L-3", name: ""), 275, "empty name");
    }

    [TestMethod]
    public async Task APartialUniqueAppliesToTheRowsItSelectsOnly()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(async txn =>
        {
            await Product.InsertAsync(txn, New("L-4", active: false));
            await Product.InsertAsync(txn, New("L-4", active: false));
            await Product.InsertAsync(txn, New("L-4", active: true));
        });
        Assert.HasCount(3, await t.Db.ReadAsync(txn => Product.SelectBySkuAsync(txn, "L-4")), "inactive repeats and one active are allowed");
        await AssertRefused(t, New("L-4", active: true), 2067, "a second active L-4"); // SQLITE_CONSTRAINT_UNIQUE
    }

    [TestMethod]
    public async Task TheTableIsStrictAndRefusesAValueOfTheWrongType()
    {
        using var t = new TestDatabase();
        using var raw = t.OpenRaw();
        using var sql = raw.CreateCommand();
        sql.CommandText = "SELECT sql FROM sqlite_master WHERE name = 'product'";
        StringAssert.EndsWith(((string)sql.ExecuteScalar()!).TrimEnd(), "STRICT");
        // A writer outside the generated code (another process, the shell) is held to the types too.
        sql.CommandText = "INSERT INTO product(sku, name, list_price, sale_price, active) VALUES ('L-5', 'Lamp', 'twenty', 1, 1)";
        var e = Assert.ThrowsExactly<SqliteException>(() => sql.ExecuteNonQuery());
        Assert.AreEqual(3091, e.SqliteExtendedErrorCode, e.Message); // SQLITE_CONSTRAINT_DATATYPE
    }
}
