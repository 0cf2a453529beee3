using System;
using System.Linq;
using System.Threading.Tasks;
using Consumer.Schema;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Consumer.Tests;

/// <summary>Writes take a reference's key from the record; reads return whole records in one query.</summary>
[TestClass]
public sealed class ForeignKeyReadTests
{
    private static async Task<(Customer Ann, Order Order)> SeedAsync(TestDatabase t, Country? shipTo) =>
        await t.Db.WriteAsync(async txn =>
        {
            await Customer.InsertAsync(txn, new Customer(0, "Ann", "ann@x", Tier.Pro, "n"));
            var ann = (await Customer.SelectOneByEmailAsync(txn, "ann@x"))!;
            var id = await Order.InsertAsync(txn, new Order(0, ann, shipTo, 42.50m, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));
            return (ann, (await Order.SelectOneByIdAsync(txn, id))!);
        });

    [TestMethod]
    public async Task AReadFillsTheReferencedRecordCompletely()
    {
        using var t = new TestDatabase();
        var (ann, order) = await SeedAsync(t, new Country("NZ", "New Zealand"));
        Assert.AreEqual(ann, order.Customer);
        Assert.AreEqual(new Country("NZ", "New Zealand"), order.ShipTo);
        Assert.AreEqual(42.50m, order.Total);
    }

    [TestMethod]
    public async Task ANullReferenceReadsAsNullThroughTheLeftJoin()
    {
        using var t = new TestDatabase();
        var (_, order) = await SeedAsync(t, null);
        Assert.IsNull(order.ShipTo);
        Assert.AreEqual("Ann", order.Customer.Name, "the row is still returned when the nullable reference is null");
    }

    [TestMethod]
    public async Task TwoLevelsOfEmbeddingComeBackInOneRecord()
    {
        using var t = new TestDatabase();
        var (ann, order) = await SeedAsync(t, null);
        await t.Db.WriteAsync(async txn =>
        {
            await OrderLine.InsertAsync(txn, new OrderLine(order, 2, "B", 1));
            await OrderLine.InsertAsync(txn, new OrderLine(order, 1, "A", 3));
        });
        var lines = await t.Db.ReadAsync(txn => OrderLine.SelectByOrderOrderByLineAscAsync(txn, order));
        CollectionAssert.AreEqual(new[] { "A", "B" }, lines.Select(l => l.Sku).ToArray());
        Assert.AreEqual(ann, lines[0].Order.Customer);
        Assert.AreEqual(order, lines[0].Order);
    }

    [TestMethod]
    public async Task SelectByAReferenceUsesItsKey()
    {
        using var t = new TestDatabase();
        var (ann, order) = await SeedAsync(t, null);
        var other = await t.Db.WriteAsync(async txn =>
        {
            await Customer.InsertAsync(txn, new Customer(0, "Bob", "bob@x", Tier.Free, null));
            return (await Customer.SelectOneByEmailAsync(txn, "bob@x"))!;
        });
        Assert.AreEqual(order, (await t.Db.ReadAsync(txn => Order.SelectByCustomerAsync(txn, ann))).Single());
        Assert.IsEmpty((await t.Db.ReadAsync(txn => Order.SelectByCustomerAsync(txn, other))));
    }

    [TestMethod]
    public async Task UpdateByACompositeKeyThatIncludesAReference()
    {
        using var t = new TestDatabase();
        var (_, order) = await SeedAsync(t, null);
        await t.Db.WriteAsync(txn => OrderLine.InsertAsync(txn, new OrderLine(order, 1, "A", 1)));
        Assert.AreEqual(1, await t.Db.WriteAsync(txn => OrderLine.UpdateByOrderLineAsync(txn, new OrderLine(order, 1, "A2", 9))));
        Assert.AreEqual(new OrderLine(order, 1, "A2", 9), (await t.Db.ReadAsync(txn => OrderLine.SelectByOrderOrderByLineAscAsync(txn, order))).Single());
    }

    [TestMethod]
    public async Task ASelfReferenceThroughReferencesIsAPlainKey()
    {
        using var t = new TestDatabase();
        var (boss, report) = await t.Db.WriteAsync(async txn =>
        {
            var b = await Employee.InsertAsync(txn, new Employee(0, "Boss", null));
            var r = await Employee.InsertAsync(txn, new Employee(0, "Report", b));
            return (b, r);
        });
        Assert.AreEqual(new Employee(report, "Report", boss), await t.Db.ReadAsync(txn => Employee.SelectOneByIdAsync(txn, report)));
        await Assert.ThrowsExactlyAsync<Microsoft.Data.Sqlite.SqliteException>(() =>
            t.Db.WriteAsync(txn => Employee.InsertAsync(txn, new Employee(0, "Orphan", 999))), "foreign keys are enforced");
    }

    [TestMethod]
    public async Task ExtensionTableRowsAreKeyedByTheRowTheyExtend()
    {
        using var t = new TestDatabase();
        var (ann, _) = await SeedAsync(t, null);
        await t.Db.WriteAsync(txn => CustomerOpt.WithPhone.InsertAsync(txn, new CustomerOpt.WithPhone(ann, "555")));
        await Assert.ThrowsExactlyAsync<Microsoft.Data.Sqlite.SqliteException>(() =>
            t.Db.WriteAsync(txn => CustomerOpt.WithPhone.InsertAsync(txn, new CustomerOpt.WithPhone(ann, "556"))), "one phone row per customer");
        Assert.AreEqual(1, await t.Db.WriteAsync(txn => CustomerOpt.WithPhone.UpdateByCustomerAsync(txn, new CustomerOpt.WithPhone(ann, "777"))));
        Assert.AreEqual(new CustomerOpt.WithPhone(ann, "777"), await t.Db.ReadAsync(txn => CustomerOpt.WithPhone.SelectOneByCustomerAsync(txn, ann)));
        Assert.AreEqual(1, await t.Db.WriteAsync(txn => CustomerOpt.WithPhone.DeleteByCustomerAsync(txn, ann)));
        Assert.IsNull(await t.Db.ReadAsync(txn => CustomerOpt.WithPhone.SelectOneByCustomerAsync(txn, ann)));
    }
}
