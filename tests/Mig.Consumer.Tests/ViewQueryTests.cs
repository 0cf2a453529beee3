using System;
using System.Linq;
using System.Threading.Tasks;
using Consumer.Schema;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Consumer.Tests;

/// <summary>Views get the select methods and nothing else.</summary>
[TestClass]
public sealed class ViewQueryTests
{
    [TestMethod]
    public async Task SynthesisedAndSqlViewsReturnTheirRows()
    {
        using var t = new TestDatabase();
        var (annId, bobId) = await t.Db.WriteAsync(async txn =>
        {
            var a = await Customer.InsertAsync(txn, new Customer(0, "Ann", "ann@x", Tier.Free, null));
            var b = await Customer.InsertAsync(txn, new Customer(0, "Bob", "bob@x", Tier.Free, null));
            var ann = (await Customer.SelectOneByEmailAsync(txn, "ann@x"))!;
            var bob = (await Customer.SelectOneByEmailAsync(txn, "bob@x"))!;
            await Order.InsertAsync(txn, new Order(0, ann, null, 10m, DateTimeOffset.UnixEpoch));
            await Order.InsertAsync(txn, new Order(0, ann, null, 30m, DateTimeOffset.UnixEpoch));
            await Order.InsertAsync(txn, new Order(0, bob, null, 20m, DateTimeOffset.UnixEpoch));
            return (a, b);
        });
        var anns = await t.Db.ReadAsync(txn => CustomerOrder.SelectByCustomerIdOrderByTotalDescAsync(txn, annId));
        CollectionAssert.AreEqual(new[] { 30m, 10m }, anns.Select(o => o.Total).ToArray());
        Assert.IsTrue(anns.All(o => o.CustomerName == "Ann"));
        Assert.HasCount(3, (await t.Db.ReadAsync(txn => CustomerOrder.SelectAllAsync(txn))));
        Assert.AreEqual("Bob", (await t.Db.ReadAsync(txn => CustomerOrder.SelectCustomerNameLikeAsync(txn, "ob"))).Single().CustomerName);
        var first = (await t.Db.ReadAsync(txn => CustomerOrder.SelectOneByOrderIdAsync(txn, 1)))!;
        Assert.AreEqual(new CustomerOrder(1, annId, "Ann", 10m), first);
        var counts = await t.Db.ReadAsync(txn => OrderCount.SelectAllAsync(txn));
        CollectionAssert.AreEqual(new[] { new OrderCount(annId, 2), new OrderCount(bobId, 1) }, counts.ToArray());
    }
}
