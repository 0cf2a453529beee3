using System;
using System.Linq;
using System.Threading.Tasks;
using Consumer.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Consumer.Tests;

/// <summary>One test per query attribute, through the generated methods, on a real file.</summary>
[TestClass]
public sealed class QueryTests
{
    private static Customer New(string name, string email, Tier tier = Tier.Free, string? note = null) => new(0, name, email, tier, note);

    [TestMethod]
    public async Task InsertReturnsTheNewKeyAndIgnoresTheGivenOne()
    {
        using var t = new TestDatabase();
        var (a, b) = await t.Db.WriteAsync(async txn =>
            (await Customer.InsertAsync(txn, New("Ann", "ann@x")), await Customer.InsertAsync(txn, new Customer(777, "Bob", "bob@x", Tier.Pro, null))));
        Assert.AreEqual(1L, a);
        Assert.AreEqual(2L, b);
        var bob = await t.Db.ReadAsync(txn => Customer.SelectOneByEmailAsync(txn, "bob@x"));
        Assert.AreEqual(new Customer(2, "Bob", "bob@x", Tier.Pro, null), bob);
    }

    [TestMethod]
    public async Task InsertOrIgnoreReturnsNullWhenAUniqueConstraintIgnoresIt()
    {
        using var t = new TestDatabase();
        var (first, second) = await t.Db.WriteAsync(async txn =>
            (await Customer.InsertOrIgnoreAsync(txn, New("Ann", "ann@x")), await Customer.InsertOrIgnoreAsync(txn, New("Other", "ann@x"))));
        Assert.AreEqual(1L, first);
        Assert.IsNull(second);
        Assert.AreEqual("Ann", (await t.Db.ReadAsync(txn => Customer.SelectAllAsync(txn))).Single().Name);
    }

    [TestMethod]
    public async Task SelectAllOrdersByTheAttributesOrderBy()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(async txn =>
        {
            foreach (var n in new[] { "Cid", "Ann", "Bob" }) await Customer.InsertAsync(txn, New(n, n + "@x"));
        });
        var names = (await t.Db.ReadAsync(txn => Customer.SelectAllAsync(txn))).Select(c => c.Name).ToArray();
        CollectionAssert.AreEqual(new[] { "Ann", "Bob", "Cid" }, names);
    }

    [TestMethod]
    public async Task SelectByMatchesEveryNamedPropertyAndOrdersByNameDescThenIdAsc()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(async txn =>
        {
            await Customer.InsertAsync(txn, New("Ann", "a1@x", Tier.Pro));
            await Customer.InsertAsync(txn, New("Zed", "z@x", Tier.Pro));
            await Customer.InsertAsync(txn, New("Ann", "a2@x", Tier.Pro));
            await Customer.InsertAsync(txn, New("Ann", "a3@x", Tier.Free));
        });
        var pro = await t.Db.ReadAsync(txn => Customer.SelectByTierOrderByNameDescIdAscAsync(txn, Tier.Pro));
        CollectionAssert.AreEqual(new[] { "z@x", "a1@x", "a2@x" }, pro.Select(c => c.Email).ToArray());
        var anns = await t.Db.ReadAsync(txn => Customer.SelectByNameAsync(txn, "Ann"));
        Assert.HasCount(3, anns);
        Assert.IsEmpty((await t.Db.ReadAsync(txn => Customer.SelectByNameAsync(txn, "ann"))), "= is case-sensitive for TEXT");
    }

    [TestMethod]
    public async Task SelectOneByReturnsNullWhenAbsent()
    {
        using var t = new TestDatabase();
        Assert.IsNull(await t.Db.ReadAsync(txn => Customer.SelectOneByEmailAsync(txn, "nobody@x")));
    }

    [TestMethod]
    public async Task SelectLikeFindsTheTextAnywhereAndBindsWildcardsAsText()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(async txn =>
        {
            await Customer.InsertAsync(txn, New("Annabel", "a@x"));
            await Customer.InsertAsync(txn, New("Joanna", "j@x"));
            await Customer.InsertAsync(txn, New("Bob", "b@x"));
            await Customer.InsertAsync(txn, New("O'Brien", "o@x"));
        });
        var found = await t.Db.ReadAsync(txn => Customer.SelectNameLikeAsync(txn, "anna"));
        CollectionAssert.AreEquivalent(new[] { "Annabel", "Joanna" }, found.Select(c => c.Name).ToArray());
        Assert.AreEqual("O'Brien", (await t.Db.ReadAsync(txn => Customer.SelectNameLikeAsync(txn, "'B"))).Single().Name);
    }

    [TestMethod]
    public async Task SelectByOrInsertInsertsOnceAndReturnsTheStoredRow()
    {
        using var t = new TestDatabase();
        var first = await t.Db.WriteAsync(txn => Customer.SelectByEmailOrInsertAsync(txn, New("Ann", "ann@x", Tier.Pro)));
        var second = await t.Db.WriteAsync(txn => Customer.SelectByEmailOrInsertAsync(txn, New("Someone else", "ann@x")));
        Assert.AreEqual(new Customer(1, "Ann", "ann@x", Tier.Pro, null), first);
        Assert.AreEqual(first, second);
        Assert.HasCount(1, (await t.Db.ReadAsync(txn => Customer.SelectAllAsync(txn))));
    }

    [TestMethod]
    public async Task UpdateByChangesTheOtherColumnsAndReturnsRowsAffected()
    {
        using var t = new TestDatabase();
        var id = await t.Db.WriteAsync(txn => Customer.InsertAsync(txn, New("Ann", "ann@x")));
        var changed = await t.Db.WriteAsync(txn => Customer.UpdateByIdAsync(txn, new Customer(id, "Anne", "anne@x", Tier.Enterprise, "vip")));
        var missing = await t.Db.WriteAsync(txn => Customer.UpdateByIdAsync(txn, new Customer(99, "X", "x@x", Tier.Free, null)));
        Assert.AreEqual(1, changed);
        Assert.AreEqual(0, missing);
        Assert.AreEqual(new Customer(id, "Anne", "anne@x", Tier.Enterprise, "vip"), await t.Db.ReadAsync(txn => Customer.SelectOneByEmailAsync(txn, "anne@x")));
    }

    [TestMethod]
    public async Task DeleteByRemovesTheRowAndCascades()
    {
        using var t = new TestDatabase();
        var id = await t.Db.WriteAsync(async txn =>
        {
            var cid = await Customer.InsertAsync(txn, New("Ann", "ann@x"));
            var ann = (await Customer.SelectOneByEmailAsync(txn, "ann@x"))!;
            await Order.InsertAsync(txn, new Order(0, ann, null, 10m, DateTimeOffset.UnixEpoch));
            return cid;
        });
        Assert.AreEqual(1, await t.Db.WriteAsync(txn => Customer.DeleteByIdAsync(txn, id)));
        Assert.AreEqual(0, await t.Db.WriteAsync(txn => Customer.DeleteByIdAsync(txn, id)));
        Assert.IsEmpty((await t.Db.ReadAsync(txn => Order.SelectAllAsync(txn))), "ON DELETE CASCADE removed the order");
    }

    [TestMethod]
    public async Task UpsertInsertsThenUpdatesByKeyWithoutDeletingChildren()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(txn => Country.UpsertAsync(txn, new Country("DE", "Germany")));
        await t.Db.WriteAsync(async txn =>
        {
            await Customer.InsertAsync(txn, New("Ann", "ann@x"));
            var ann = (await Customer.SelectOneByEmailAsync(txn, "ann@x"))!;
            await Order.InsertAsync(txn, new Order(0, ann, new Country("DE", "Germany"), 5m, DateTimeOffset.UnixEpoch));
        });
        await t.Db.WriteAsync(txn => Country.UpsertAsync(txn, new Country("DE", "Deutschland")));
        var countries = await t.Db.ReadAsync(txn => Country.SelectAllAsync(txn));
        Assert.AreEqual("Deutschland", countries.Single(c => c.Code == "DE").Name);
        Assert.HasCount(3, countries, "two seeded countries and DE");
        var order = (await t.Db.ReadAsync(txn => Order.SelectAllAsync(txn))).Single();
        Assert.AreEqual(new Country("DE", "Deutschland"), order.ShipTo, "the upsert did not delete and re-insert (which would SET NULL the order's country)");
    }

    [TestMethod]
    public async Task AUniqueViolationSurfacesAsSqliteExceptionAndRollsBackTheTransaction()
    {
        using var t = new TestDatabase();
        var e = await Assert.ThrowsExactlyAsync<SqliteException>(() => t.Db.WriteAsync(async txn =>
        {
            await Customer.InsertAsync(txn, New("Ann", "ann@x"));
            await Customer.InsertAsync(txn, New("Ann again", "ann@x"));
        }));
        Assert.AreEqual(19, e.SqliteErrorCode, "SQLITE_CONSTRAINT");
        Assert.IsEmpty((await t.Db.ReadAsync(txn => Customer.SelectAllAsync(txn))));
    }

    [TestMethod]
    public async Task NullableColumnsStoreAndMatchNull()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(async txn =>
        {
            await Customer.InsertAsync(txn, New("Ann", "ann@x", note: null));
            await Customer.InsertAsync(txn, New("Bob", "bob@x", note: "hi"));
        });
        var all = await t.Db.ReadAsync(txn => Customer.SelectAllAsync(txn));
        Assert.IsNull(all[0].Note);
        Assert.AreEqual("hi", all[1].Note);
        using var raw = t.OpenRaw();
        using var cmd = raw.CreateCommand();
        cmd.CommandText = "SELECT typeof(note) FROM customer ORDER BY id";
        using var r = cmd.ExecuteReader();
        r.Read();
        Assert.AreEqual("null", r.GetString(0), "a null string is stored as NULL, not as ''");
    }

    [TestMethod]
    public async Task CancellationIsObservedBeforeTheStatementRuns()
    {
        using var t = new TestDatabase();
        using var cts = new System.Threading.CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAsync<OperationCanceledException>(() =>
            t.Db.WriteAsync(txn => Customer.InsertAsync(txn, New("Ann", "ann@x"), cts.Token)));
        Assert.IsEmpty((await t.Db.ReadAsync(txn => Customer.SelectAllAsync(txn))));
    }

    [TestMethod]
    public async Task ACancelledTokenGivesACanceledTaskNotAFaultedOne()
    {
        using var t = new TestDatabase();
        using var cts = new System.Threading.CancellationTokenSource();
        cts.Cancel();
        await t.Db.ReadAsync(txn =>
        {
            var read = Customer.SelectAllAsync(txn, cts.Token);
            var count = Customer.CountAsync(txn, cts.Token);
            Assert.IsTrue(read.IsCanceled, $"SelectAllAsync: {read.Status}");
            Assert.IsTrue(count.IsCanceled, $"CountAsync: {count.Status}");
            return Task.CompletedTask;
        });
        await t.Db.WriteAsync(txn =>
        {
            var insert = Customer.InsertAsync(txn, New("Ann", "ann@x"), cts.Token);
            Assert.IsTrue(insert.IsCanceled, $"InsertAsync: {insert.Status}");
            return Task.CompletedTask;
        });
        Assert.IsEmpty(await t.Db.ReadAsync(txn => Customer.SelectAllAsync(txn)), "nothing was written");
    }

    [TestMethod]
    public void TheGeneratedSchemaInfoNamesTheFileOfThisSchema()
    {
        var model = Mig.Schema.SchemaModelJson.Deserialize(System.IO.File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "model.json")));
        var hash = Mig.Sql.SchemaHash.Compute(model);
        // The constants the build generated must be what the model computes to.
        Assert.AreEqual(Schema.MigSchemaInfo.Hash, hash);
        Assert.AreEqual(Schema.MigSchemaInfo.DatabaseFileName, Mig.Protocol.DatabaseFileName("consumer", hash));
    }
}
