using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Consumer.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Consumer.Tests;

/// <summary>
/// CountAsync, InsertManyAsync, [CountBy], [SelectPage], [SelectRange] and [SelectIn] through the
/// generated methods on a real file: empty tables, extreme values, every kind a range accepts, a
/// list of every mapped type, and views.
/// </summary>
[TestClass]
public sealed class CountPageRangeListTests
{
    private static readonly DateTime Noon = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static Customer New(string name, Tier tier = Tier.Free, string? note = null) => new(0, name, name + "@x", tier, note);

    private static Job NewJob(int i, DateTime? dueAt = null, long priority = 0, double score = 0, string? title = null, bool done = false, string? owner = null,
        DateOnly? day = null, TimeOnly? at = null, Guid? uid = null, Tier tier = Tier.Free, DateTime? reminder = null, float ratio = 0) =>
        new(0, "J" + i.ToString("000", System.Globalization.CultureInfo.InvariantCulture), title ?? "job " + i, dueAt ?? Noon, priority, score, done, owner,
            day ?? new DateOnly(2025, 3, 1), at ?? new TimeOnly(12, 0), uid ?? Guid.Empty, tier, reminder, ratio);

    // ---- counts -----------------------------------------------------------------

    [TestMethod]
    public async Task CountsAreZeroOnAnEmptyTableAndViewAndCountWhatMatches()
    {
        using var t = new TestDatabase();
        Assert.AreEqual(0L, await t.Db.ReadAsync(txn => Customer.CountAsync(txn)));
        Assert.AreEqual(0L, await t.Db.ReadAsync(txn => CustomerOrder.CountAsync(txn)));
        Assert.AreEqual(0L, await t.Db.ReadAsync(txn => OrderCount.CountAsync(txn)));
        Assert.AreEqual(0L, await t.Db.ReadAsync(txn => Customer.CountByTierAsync(txn, Tier.Pro)));
        Assert.AreEqual(2L, await t.Db.ReadAsync(txn => Country.CountAsync(txn)), "the seeded countries");

        var (ann, bob) = await t.Db.WriteAsync(async txn =>
        {
            await Customer.InsertManyAsync(txn, [New("Ann", Tier.Pro), New("Bob", Tier.Pro, "vip"), New("Cid")]);
            var a = (await Customer.SelectOneByEmailAsync(txn, "Ann@x"))!;
            var b = (await Customer.SelectOneByEmailAsync(txn, "Bob@x"))!;
            await Order.InsertManyAsync(txn, [
                new Order(0, a, null, 1m, DateTimeOffset.UnixEpoch),
                new Order(0, a, new Country("NZ", "New Zealand"), 2m, DateTimeOffset.UnixEpoch),
                new Order(0, b, null, 3m, DateTimeOffset.UnixEpoch)]);
            return (a, b);
        });
        await t.Db.ReadAsync(async txn =>
        {
            Assert.AreEqual(3L, await Customer.CountAsync(txn));
            Assert.AreEqual(2L, await Customer.CountByTierAsync(txn, Tier.Pro));
            Assert.AreEqual(1L, await Customer.CountByTierNoteAsync(txn, Tier.Pro, null), "a null argument counts NULLs, as SelectBy matches them");
            Assert.AreEqual(1L, await Customer.CountByTierNoteAsync(txn, Tier.Pro, "vip"));
            Assert.AreEqual(2L, await Order.CountByCustomerAsync(txn, ann));
            Assert.AreEqual(2L, await Order.CountByShipToAsync(txn, null));
            Assert.AreEqual(1L, await Order.CountByShipToAsync(txn, new Country("NZ", "any name: only the key is compared")));
            Assert.AreEqual(3L, await CustomerOrder.CountAsync(txn));
            Assert.AreEqual(1L, await CustomerOrder.CountByCustomerIdAsync(txn, bob.Id));
            Assert.AreEqual(2L, await OrderCount.CountAsync(txn), "a [ViewSql] view counts its own rows (one per customer with orders)");
        });
    }

    // ---- inserts of many rows ----------------------------------------------------

    [TestMethod]
    public async Task InsertManyReturnsHowManyAndGivesEachRowANewKeyAsInsertDoes()
    {
        using var t = new TestDatabase();
        var n = await t.Db.WriteAsync(txn => Customer.InsertManyAsync(txn, [new Customer(777, "Ann", "ann@x", Tier.Pro, null), new Customer(777, "Bob", "bob@x", Tier.Free, "n")]));
        Assert.AreEqual(2, n);
        var all = await t.Db.ReadAsync(txn => Customer.SelectPageByIdAsync(txn, null, 10));
        CollectionAssert.AreEqual(new[] { new Customer(1, "Ann", "ann@x", Tier.Pro, null), new Customer(2, "Bob", "bob@x", Tier.Free, "n") }, all.ToArray());
        var next = await t.Db.WriteAsync(txn => Customer.InsertAsync(txn, New("Cid")));
        Assert.AreEqual(3L, next, "the keys InsertManyAsync took are taken");

        // A table whose key the rows give keeps those keys.
        Assert.AreEqual(2, await t.Db.WriteAsync(txn => Country.InsertManyAsync(txn, [new Country("DE", "Germany"), new Country("JP", "Japan")])));
        Assert.AreEqual(4L, await t.Db.ReadAsync(txn => Country.CountAsync(txn)));
    }

    [TestMethod]
    public async Task InsertManyOfNothingOrOfALazySequenceWorksAndNullIsRefused()
    {
        using var t = new TestDatabase();
        Assert.AreEqual(0, await t.Db.WriteAsync(txn => Customer.InsertManyAsync(txn, [])));
        static IEnumerable<Customer> Lazy()
        {
            for (var i = 0; i < 1000; i++) yield return New("n" + i);
        }
        Assert.AreEqual(1000, await t.Db.WriteAsync(txn => Customer.InsertManyAsync(txn, Lazy())));
        Assert.AreEqual(1000L, await t.Db.ReadAsync(txn => Customer.CountAsync(txn)));
        await Assert.ThrowsExactlyAsync<ArgumentNullException>(() => t.Db.WriteAsync(txn => Customer.InsertManyAsync(txn, null!)));
    }

    [TestMethod]
    public async Task AFailingRowRollsBackTheWholeTransaction()
    {
        using var t = new TestDatabase();
        var e = await Assert.ThrowsExactlyAsync<SqliteException>(() => t.Db.WriteAsync(txn =>
            Customer.InsertManyAsync(txn, [New("Ann"), New("Bob"), New("Ann")])));
        Assert.AreEqual(19, e.SqliteErrorCode, "SQLITE_CONSTRAINT: the third row repeats a unique email");
        Assert.AreEqual(0L, await t.Db.ReadAsync(txn => Customer.CountAsync(txn)));
    }

    [TestMethod]
    public async Task CancellingWhileRowsAreInsertedStopsAndRollsBack()
    {
        using var t = new TestDatabase();
        using var cts = new CancellationTokenSource();
        IEnumerable<Customer> CancelAfterTen()
        {
            for (var i = 0; ; i++)
            {
                if (i == 10) cts.Cancel();
                yield return New("n" + i);
            }
        }
        await Assert.ThrowsAsync<OperationCanceledException>(() => t.Db.WriteAsync(txn => Customer.InsertManyAsync(txn, CancelAfterTen(), cts.Token)));
        Assert.AreEqual(0L, await t.Db.ReadAsync(txn => Customer.CountAsync(txn)));
    }

    // ---- keyset pages ------------------------------------------------------------------

    private static async Task<List<T>> AllPages<T, TKey>(Func<TKey?, Task<IReadOnlyList<T>>> page, Func<T, TKey> key, int limit)
    {
        var seen = new List<T>();
        var after = default(TKey);
        for (var pages = 0; ; pages++)
        {
            Assert.IsLessThan(1000, pages, "paging must end");
            var rows = await page(after);
            Assert.IsLessThanOrEqualTo(limit, rows.Count);
            if (rows.Count == 0) return seen;
            seen.AddRange(rows);
            after = key(rows[^1]);
        }
    }

    [TestMethod]
    public async Task PagesWalkEveryRowOnceInKeyOrderWhateverThePageSize()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(txn => Job.InsertManyAsync(txn, Enumerable.Range(0, 23).Select(i => NewJob(22 - i))));
        foreach (var limit in new[] { 1, 5, 22, 23, 24, int.MaxValue })
        {
            var up = await t.Db.ReadAsync(txn => AllPages<Job, long?>(after => Job.SelectPageByIdAsync(txn, after, limit), j => j.Id, limit));
            CollectionAssert.AreEqual(Enumerable.Range(1, 23).Select(i => (long)i).ToArray(), up.Select(j => j.Id).ToArray(), $"limit {limit}");
            var down = await t.Db.ReadAsync(txn => AllPages<Job, long?>(after => Job.SelectPageByIdOrderByIdDescAsync(txn, after, limit), j => j.Id, limit));
            CollectionAssert.AreEqual(Enumerable.Range(1, 23).Reverse().Select(i => (long)i).ToArray(), down.Select(j => j.Id).ToArray(), $"limit {limit}, descending");
            var byCode = await t.Db.ReadAsync(txn => AllPages<Job, string>(after => Job.SelectPageByCodeAsync(txn, after, limit), j => j.Code, limit));
            CollectionAssert.AreEqual(Enumerable.Range(0, 23).Select(i => $"J{i:000}").ToArray(), byCode.Select(j => j.Code).ToArray(), $"limit {limit}, by code");
        }
    }

    [TestMethod]
    public async Task APageAfterAnyKeyStartsThereEvenAtTheExtremesOrOnAnEmptyTable()
    {
        using var t = new TestDatabase();
        Assert.IsEmpty(await t.Db.ReadAsync(txn => Job.SelectPageByIdAsync(txn, null, 10)), "an empty table has no first page");
        await t.Db.WriteAsync(txn => Job.InsertManyAsync(txn, Enumerable.Range(0, 5).Select(i => NewJob(i))));
        await t.Db.ReadAsync(async txn =>
        {
            CollectionAssert.AreEqual(new[] { 3L, 4L }, (await Job.SelectPageByIdAsync(txn, 2, 2)).Select(j => j.Id).ToArray());
            CollectionAssert.AreEqual(new[] { 1L, 2L }, (await Job.SelectPageByIdAsync(txn, long.MinValue, 2)).Select(j => j.Id).ToArray());
            Assert.IsEmpty(await Job.SelectPageByIdAsync(txn, long.MaxValue, 2));
            Assert.IsEmpty(await Job.SelectPageByIdAsync(txn, 5, 2), "after the last row");
            CollectionAssert.AreEqual(new[] { 5L, 4L }, (await Job.SelectPageByIdOrderByIdDescAsync(txn, long.MaxValue, 2)).Select(j => j.Id).ToArray());
            Assert.IsEmpty(await Job.SelectPageByIdOrderByIdDescAsync(txn, long.MinValue, 2));
            CollectionAssert.AreEqual(new[] { "J000" }, (await Job.SelectPageByCodeAsync(txn, "", 1)).Select(j => j.Code).ToArray(), "the empty string is before every code");
            CollectionAssert.AreEqual(new[] { "J002", "J003" }, (await Job.SelectPageByCodeAsync(txn, "J001", 2)).Select(j => j.Code).ToArray());
            CollectionAssert.AreEqual(new[] { "J001", "J002" }, (await Job.SelectPageByCodeAsync(txn, "J000\0", 2)).Select(j => j.Code).ToArray(), "a key that is in no row");
        });
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-1)]
    [DataRow(int.MinValue)]
    public async Task ALimitThatIsNotPositiveIsArgumentOutOfRange(int limit)
    {
        using var t = new TestDatabase();
        var e = await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => t.Db.ReadAsync(txn => Job.SelectPageByIdAsync(txn, null, limit)));
        Assert.AreEqual("limit", e.ParamName);
        await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => t.Db.ReadAsync(txn => Job.SelectPageByCodeAsync(txn, "J", limit)));
    }

    // ---- ranges ---------------------------------------------------------------------------

    [TestMethod]
    public async Task ARangeIncludesBothEndsAndIsInTheColumnsOrder()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(txn => Job.InsertManyAsync(txn, Enumerable.Range(0, 10).Select(i => NewJob(i, dueAt: Noon.AddHours(9 - i)))));
        var found = await t.Db.ReadAsync(txn => Job.SelectDueAtBetweenAsync(txn, Noon.AddHours(2), Noon.AddHours(5)));
        CollectionAssert.AreEqual(new[] { Noon.AddHours(2), Noon.AddHours(3), Noon.AddHours(4), Noon.AddHours(5) }, found.Select(j => j.DueAt).ToArray());
        Assert.IsEmpty(await t.Db.ReadAsync(txn => Job.SelectDueAtBetweenAsync(txn, Noon.AddHours(5), Noon.AddHours(2))), "from after to: nothing");
        Assert.HasCount(1, await t.Db.ReadAsync(txn => Job.SelectDueAtBetweenAsync(txn, Noon.AddHours(5), Noon.AddHours(5))), "one instant");
        Assert.IsEmpty(await t.Db.ReadAsync(txn => Job.SelectDueAtBetweenAsync(txn, Noon.AddHours(5).AddTicks(1), Noon.AddHours(6).AddTicks(-1))), "a tick off each end");
        Assert.HasCount(10, await t.Db.ReadAsync(txn => Job.SelectDueAtBetweenAsync(txn, DateTime.MinValue, DateTime.MaxValue)));
    }

    [TestMethod]
    public async Task ADateTimeRangeComparesTicksWhateverTheKindLikeDateTimeDoes()
    {
        using var t = new TestDatabase();
        var wall = new DateTime(2025, 3, 1, 12, 0, 0);
        var kinds = new[] { DateTimeKind.Unspecified, DateTimeKind.Utc, DateTimeKind.Local };
        await t.Db.WriteAsync(txn => Job.InsertManyAsync(txn, kinds.Select((k, i) => NewJob(i, dueAt: DateTime.SpecifyKind(wall, k)))));
        foreach (var k in kinds)
        {
            var bound = DateTime.SpecifyKind(wall, k);
            var found = await t.Db.ReadAsync(txn => Job.SelectDueAtBetweenAsync(txn, bound, bound));
            CollectionAssert.AreEquivalent(kinds, found.Select(j => j.DueAt.Kind).ToArray(), $"every row equals a {k} bound, as DateTime compares");
        }
    }

    [TestMethod]
    public async Task RangesOverEveryKindTheyAcceptFindTheValuesBetweenTheBounds()
    {
        using var t = new TestDatabase();
        var guids = new[] { Guid.Empty, Guid.Parse("00000000-0000-0000-0000-0000000000ff"), Guid.Parse("7fffffff-ffff-ffff-ffff-ffffffffffff"), Guid.Parse("80000000-0000-0000-0000-000000000000"), Guid.AllBitsSet };
        var priorities = new[] { long.MinValue, -1, 0, 1, long.MaxValue };
        var scores = new[] { double.NegativeInfinity, -1e300, 0, 1e-300, double.PositiveInfinity };
        var titles = new[] { "", "A", "a", "é", "😀" };
        var days = new[] { DateOnly.MinValue, new DateOnly(999, 1, 1), new DateOnly(2025, 3, 1), new DateOnly(9999, 12, 30), DateOnly.MaxValue };
        var times = new[] { TimeOnly.MinValue, new TimeOnly(1, 0), new TimeOnly(9, 59, 59), new TimeOnly(10, 0), TimeOnly.MaxValue };
        var tiers = new[] { Tier.Free, Tier.Pro, Tier.Enterprise, Tier.Free, Tier.Pro };
        var ratios = new[] { float.MinValue, -0.5f, 0.1f, 0.5f, float.MaxValue };
        await t.Db.WriteAsync(txn => Job.InsertManyAsync(txn, Enumerable.Range(0, 5).Select(i => NewJob(i, priority: priorities[i], score: scores[i], title: titles[i],
            done: i % 2 == 1, day: days[i], at: times[i], uid: guids[i], tier: tiers[i], reminder: i == 2 ? null : Noon.AddDays(i), ratio: ratios[i]))));
        await t.Db.ReadAsync(async txn =>
        {
            static string[] Codes(IReadOnlyList<Job> jobs) => [.. jobs.Select(j => j.Code).Order(StringComparer.Ordinal)];
            CollectionAssert.AreEqual(new[] { "J000", "J001", "J002", "J003", "J004" }, Codes(await Job.SelectPriorityBetweenAsync(txn, long.MinValue, long.MaxValue)));
            CollectionAssert.AreEqual(new[] { "J001", "J002", "J003" }, Codes(await Job.SelectPriorityBetweenAsync(txn, -1, 1)));
            CollectionAssert.AreEqual(new[] { "J000", "J001", "J002", "J003", "J004" }, Codes(await Job.SelectScoreBetweenAsync(txn, double.NegativeInfinity, double.PositiveInfinity)));
            CollectionAssert.AreEqual(new[] { "J002", "J003" }, Codes(await Job.SelectScoreBetweenAsync(txn, 0, 1)));
            CollectionAssert.AreEqual(new[] { "J001", "J002" }, Codes(await Job.SelectTitleBetweenOrderByIdAscAsync(txn, "A", "a")), "text by code point: 'A' < 'a' < 'é'");
            CollectionAssert.AreEqual(new[] { "J003", "J004" }, Codes(await Job.SelectTitleBetweenOrderByIdAscAsync(txn, "é", "\U0010FFFF")));
            CollectionAssert.AreEqual(new[] { "J000", "J001" }, Codes(await Job.SelectDayBetweenAsync(txn, DateOnly.MinValue, new DateOnly(1000, 1, 1))), "years before 1000 keep four digits");
            CollectionAssert.AreEqual(new[] { "J001", "J002", "J003" }, Codes(await Job.SelectAtBetweenAsync(txn, new TimeOnly(1, 0), new TimeOnly(10, 0))));
            CollectionAssert.AreEqual(new[] { "J002", "J003" }, Codes(await Job.SelectUidBetweenAsync(txn, guids[2], guids[3])), "Guid order, as Guid.CompareTo");
            CollectionAssert.AreEqual(new[] { "J001", "J002", "J004" }, Codes(await Job.SelectTierBetweenAsync(txn, Tier.Pro, Tier.Enterprise)));
            CollectionAssert.AreEqual(new[] { "J001", "J003" }, Codes(await Job.SelectDoneBetweenAsync(txn, true, true)));
            CollectionAssert.AreEqual(new[] { "J001", "J002", "J003" }, Codes(await Job.SelectRatioBetweenAsync(txn, -0.5f, 0.5f)));
            CollectionAssert.AreEqual(new[] { "J000", "J001", "J003", "J004" }, Codes(await Job.SelectReminderBetweenAsync(txn, DateTime.MinValue, DateTime.MaxValue)), "a NULL is in no range");
            Assert.IsEmpty(await Job.SelectPriorityBetweenAsync(txn, 2, long.MaxValue - 1));
        });
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => t.Db.ReadAsync(txn => Job.SelectScoreBetweenAsync(txn, double.NaN, 1)),
            "NaN cannot be bound, as it cannot be stored");
    }

    [TestMethod]
    public async Task ViewsGetRangesAndLists()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(async txn =>
        {
            await Customer.InsertManyAsync(txn, [New("Ann"), New("Bob")]);
            var ann = (await Customer.SelectOneByEmailAsync(txn, "Ann@x"))!;
            var bob = (await Customer.SelectOneByEmailAsync(txn, "Bob@x"))!;
            await Order.InsertManyAsync(txn, [new Order(0, ann, null, 1m, DateTimeOffset.UnixEpoch), new Order(0, bob, null, 2m, DateTimeOffset.UnixEpoch), new Order(0, ann, null, 3m, DateTimeOffset.UnixEpoch)]);
        });
        await t.Db.ReadAsync(async txn =>
        {
            CollectionAssert.AreEqual(new[] { 2L, 3L }, (await CustomerOrder.SelectOrderIdBetweenAsync(txn, 2, 3)).Select(o => o.OrderId).ToArray());
            CollectionAssert.AreEqual(new[] { 1L, 3L }, (await CustomerOrder.SelectByCustomerNameInOrderByOrderIdAscAsync(txn, ["Ann", "Nobody"])).Select(o => o.OrderId).ToArray());
            Assert.IsEmpty(await CustomerOrder.SelectByCustomerNameInOrderByOrderIdAscAsync(txn, []));
        });
    }

    // ---- lists -------------------------------------------------------------------------------

    [TestMethod]
    public async Task AListFindsTheRowsOfItsValuesOnceEachWhateverItsLength()
    {
        using var t = new TestDatabase();
        Assert.IsEmpty(await t.Db.ReadAsync(txn => Customer.SelectByIdInAsync(txn, [1, 2])), "an empty table");
        await t.Db.WriteAsync(txn => Customer.InsertManyAsync(txn, Enumerable.Range(0, 2000).Select(i => New("n" + i))));
        await t.Db.ReadAsync(async txn =>
        {
            Assert.IsEmpty(await Customer.SelectByIdInAsync(txn, []));
            Assert.IsEmpty(await Customer.SelectByIdInAsync(txn, [long.MinValue, long.MaxValue, 0, -1, 2001]));
            var some = await Customer.SelectByIdInAsync(txn, [5, 3, 5, long.MaxValue, 3]);
            CollectionAssert.AreEquivalent(new[] { 3L, 5L }, some.Select(c => c.Id).ToArray(), "duplicates in the list find a row once");
            var many = await Customer.SelectByIdInAsync(txn, new HashSet<long>(Enumerable.Range(1, 100_000).Select(i => (long)i)));
            Assert.HasCount(2000, many);
        });
        await Assert.ThrowsExactlyAsync<ArgumentNullException>(() => t.Db.ReadAsync(txn => Customer.SelectByIdInAsync(txn, null!)));
    }

    [TestMethod]
    public async Task AListOfRecordsMatchesTheirKeys()
    {
        using var t = new TestDatabase();
        var (ann, bob, cid) = await t.Db.WriteAsync(async txn =>
        {
            await Customer.InsertManyAsync(txn, [New("Ann"), New("Bob"), New("Cid")]);
            var a = (await Customer.SelectOneByEmailAsync(txn, "Ann@x"))!;
            var b = (await Customer.SelectOneByEmailAsync(txn, "Bob@x"))!;
            var c = (await Customer.SelectOneByEmailAsync(txn, "Cid@x"))!;
            await Order.InsertManyAsync(txn, [new Order(0, b, null, 1m, DateTimeOffset.UnixEpoch), new Order(0, a, new Country("FR", "France"), 2m, DateTimeOffset.UnixEpoch), new Order(0, b, null, 3m, DateTimeOffset.UnixEpoch)]);
            return (a, b, c);
        });
        await t.Db.ReadAsync(async txn =>
        {
            var orders = await Order.SelectByCustomerInOrderByIdAscAsync(txn, [bob, cid]);
            CollectionAssert.AreEqual(new[] { 1L, 3L }, orders.Select(o => o.Id).ToArray());
            Assert.AreEqual(bob, orders[0].Customer, "the record is read whole");
            CollectionAssert.AreEqual(new[] { 2L }, (await Order.SelectByShipToInAsync(txn, [new Country("FR", "?"), new Country("NZ", "?")])).Select(o => o.Id).ToArray());
        });
    }

    /// <summary>Two rows of every mapped type at the edges of its values.</summary>
    private static readonly Sample[] Samples =
    [
        new(1, int.MinValue, short.MinValue, byte.MinValue, false, Tier.Free, "", double.NegativeInfinity, float.MinValue, decimal.MinValue,
            [], DateTime.MinValue, DateTimeOffset.MinValue, DateOnly.MinValue, TimeOnly.MinValue, TimeSpan.MinValue, Guid.Empty,
            int.MaxValue, true, Tier.Enterprise, "a\0b \"q\" \\ é 😀 \u2028", double.Epsilon, 0.0000000000000000000000000001m, [0], DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc),
            new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.FromHours(-13)), DateOnly.MaxValue, TimeOnly.MaxValue, TimeSpan.FromTicks(-1), Guid.AllBitsSet),
        new(long.MaxValue, int.MaxValue, short.MaxValue, byte.MaxValue, true, Tier.Enterprise, "\"],[\"\\u0000\n\t'", double.MaxValue, float.Epsilon, 120.50m,
            [0xff, 0x00, 0x7f], new DateTime(2025, 3, 1, 9, 30, 0, DateTimeKind.Local), DateTimeOffset.MaxValue, new DateOnly(2025, 3, 1), new TimeOnly(9, 30), TimeSpan.MaxValue, Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
            null, null, null, null, null, null, null, null, null, null, null, null, null),
    ];

    [TestMethod]
    public async Task AListOfEveryMappedTypeFindsExactlyTheRowThatStoresEachValue()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(txn => Sample.InsertManyAsync(txn, Samples));
        var a = Samples[0];
        var b = Samples[1];
        await t.Db.ReadAsync(async txn =>
        {
            async Task Check<T>(string name, Func<IReadOnlyCollection<T>, Task<IReadOnlyList<Sample>>> select, T first, T second)
            {
                CollectionAssert.AreEqual(new[] { a.Id }, (await select([first])).Select(s => s.Id).ToArray(), $"{name}: the first row's value");
                CollectionAssert.AreEqual(new[] { b.Id }, (await select([second])).Select(s => s.Id).ToArray(), $"{name}: the second row's value");
                CollectionAssert.AreEquivalent(new[] { a.Id, b.Id }, (await select([first, second])).Select(s => s.Id).ToArray(), $"{name}: both");
            }
            await Check<long>("Id", v => Sample.SelectByIdInAsync(txn, v), a.Id, b.Id);
            await Check<int>("I32", v => Sample.SelectByI32InAsync(txn, v), a.I32, b.I32);
            await Check<short>("I16", v => Sample.SelectByI16InAsync(txn, v), a.I16, b.I16);
            await Check<byte>("U8", v => Sample.SelectByU8InAsync(txn, v), a.U8, b.U8);
            await Check<bool>("Flag", v => Sample.SelectByFlagInAsync(txn, v), a.Flag, b.Flag);
            await Check<Tier>("Tier", v => Sample.SelectByTierInAsync(txn, v), a.Tier, b.Tier);
            await Check<string>("Text", v => Sample.SelectByTextInAsync(txn, v), a.Text, b.Text);
            await Check<double>("F64", v => Sample.SelectByF64InAsync(txn, v), a.F64, b.F64);
            await Check<float>("F32", v => Sample.SelectByF32InAsync(txn, v), a.F32, b.F32);
            await Check<decimal>("Money", v => Sample.SelectByMoneyInAsync(txn, v), a.Money, b.Money);
            await Check<byte[]>("Blob", v => Sample.SelectByBlobInAsync(txn, v), a.Blob, b.Blob);
            await Check<DateTime>("When", v => Sample.SelectByWhenInAsync(txn, v), a.When, b.When);
            await Check<DateTimeOffset>("At", v => Sample.SelectByAtInAsync(txn, v), a.At, b.At);
            await Check<DateOnly>("Day", v => Sample.SelectByDayInAsync(txn, v), a.Day, b.Day);
            await Check<TimeOnly>("Time", v => Sample.SelectByTimeInAsync(txn, v), a.Time, b.Time);
            await Check<TimeSpan>("Span", v => Sample.SelectBySpanInAsync(txn, v), a.Span, b.Span);
            await Check<Guid>("Uid", v => Sample.SelectByUidInAsync(txn, v), a.Uid, b.Uid);
            // The nullable columns: the first row's value finds it, NULL is in no list.
            async Task CheckNullable<T>(string name, Func<IReadOnlyCollection<T>, Task<IReadOnlyList<Sample>>> select, T value)
            {
                CollectionAssert.AreEqual(new[] { a.Id }, (await select([value])).Select(s => s.Id).ToArray(), name);
            }
            await CheckNullable<int>("NI32", v => Sample.SelectByNI32InAsync(txn, v), a.NI32!.Value);
            await CheckNullable<bool>("NFlag", v => Sample.SelectByNFlagInAsync(txn, v), a.NFlag!.Value);
            await CheckNullable<Tier>("NTier", v => Sample.SelectByNTierInAsync(txn, v), a.NTier!.Value);
            await CheckNullable<string>("NText", v => Sample.SelectByNTextInAsync(txn, v), a.NText!);
            await CheckNullable<double>("NF64", v => Sample.SelectByNF64InAsync(txn, v), a.NF64!.Value);
            await CheckNullable<decimal>("NMoney", v => Sample.SelectByNMoneyInAsync(txn, v), a.NMoney!.Value);
            await CheckNullable<byte[]>("NBlob", v => Sample.SelectByNBlobInAsync(txn, v), a.NBlob!);
            await CheckNullable<DateTime>("NWhen", v => Sample.SelectByNWhenInAsync(txn, v), a.NWhen!.Value);
            await CheckNullable<DateTimeOffset>("NAt", v => Sample.SelectByNAtInAsync(txn, v), a.NAt!.Value);
            await CheckNullable<DateOnly>("NDay", v => Sample.SelectByNDayInAsync(txn, v), a.NDay!.Value);
            await CheckNullable<TimeOnly>("NTime", v => Sample.SelectByNTimeInAsync(txn, v), a.NTime!.Value);
            await CheckNullable<TimeSpan>("NSpan", v => Sample.SelectByNSpanInAsync(txn, v), a.NSpan!.Value);
            await CheckNullable<Guid>("NUid", v => Sample.SelectByNUidInAsync(txn, v), a.NUid!.Value);
            Assert.IsEmpty(await Sample.SelectByNTextInAsync(txn, [null!]), "a null in the list matches no NULL");
            Assert.IsEmpty(await Sample.SelectByF64InAsync(txn, [double.NaN]), "NaN, which cannot be stored, matches nothing");
            Assert.IsEmpty(await Sample.SelectByNTextInAsync(txn, ["a\0", "a"]), "text up to or before a NUL is another text");
            var read = await Sample.SelectByIdInAsync(txn, [a.Id]);
            Assert.AreEqual(a.Text, read.Single().Text, "read back whole");
        });
    }

    // ---- hostile names ----------------------------------------------------------------

    [TestMethod]
    public async Task EveryNewKindRunsThroughColumnsNamedLikeSqlAndPunctuation()
    {
        using var t = new TestDatabase();
        const string injection = "\"; DROP TABLE x; --";
        await t.Db.WriteAsync(async txn =>
        {
            Assert.AreEqual(3, await Contact.InsertManyAsync(txn, [
                new Contact(0, "b@x", "d", "s", 2, "名前", "@p0"),
                new Contact(0, "a@x", "d", "s", 1, "ü", null),
                new Contact(0, "c@x", "e", null, long.MaxValue, injection, "'")]));
            var b = (await Contact.SelectOneByEmailAsync(txn, "b@x"))!;
            await ContactNote.InsertManyAsync(txn, [new ContactNote(0, b, "it's"), new ContactNote(0, b, "two")]);
        });
        await t.Db.ReadAsync(async txn =>
        {
            Assert.AreEqual(3L, await Contact.CountAsync(txn));
            Assert.AreEqual(2L, await Contact.CountByDashSpaceAsync(txn, "d", "s"));
            Assert.AreEqual(1L, await Contact.CountByTrickyAsync(txn, null));
            CollectionAssert.AreEqual(new[] { "a@x", "b@x", "c@x" }, (await Contact.SelectPageByEmailAsync(txn, null, 10)).Select(c => c.Email).ToArray());
            CollectionAssert.AreEqual(new[] { "c@x" }, (await Contact.SelectPageByEmailAsync(txn, "b@x", 10)).Select(c => c.Email).ToArray());
            CollectionAssert.AreEqual(new[] { "b@x", "a@x" }, (await Contact.SelectPageByEmailOrderByEmailDescAsync(txn, "c@x", 10)).Select(c => c.Email).ToArray());
            CollectionAssert.AreEqual(new[] { "b@x", "c@x" }, (await Contact.SelectKeywordBetweenAsync(txn, 2, long.MaxValue)).Select(c => c.Email).ToArray());
            CollectionAssert.AreEqual(new[] { "b@x", "a@x" }, (await Contact.SelectUnicodeBetweenOrderByKeywordDescAsync(txn, "a", "\uffff")).Select(c => c.Email).ToArray());
            CollectionAssert.AreEquivalent(new[] { "b@x", "c@x" }, (await Contact.SelectByUnicodeInAsync(txn, ["名前", injection])).Select(c => c.Email).ToArray());
            CollectionAssert.AreEquivalent(new[] { "b@x", "c@x" }, (await Contact.SelectByTrickyInAsync(txn, ["@p0", "'", "@p1"])).Select(c => c.Email).ToArray());
            CollectionAssert.AreEquivalent(new[] { "a@x", "c@x" }, (await Contact.SelectByKeywordInAsync(txn, [1, long.MaxValue])).Select(c => c.Email).ToArray());
            var b = (await Contact.SelectOneByEmailAsync(txn, "b@x"))!;
            Assert.AreEqual(2L, await ContactNote.CountByContactAsync(txn, b));
            CollectionAssert.AreEquivalent(new[] { "it's", "two" }, (await ContactNote.SelectByContactInAsync(txn, [b])).Select(n => n.Text).ToArray());
        });
    }

    [TestMethod]
    public async Task AKeyNamedOrderByInATableNamedSelectFromPagesRangesAndLists()
    {
        using var t = new TestDatabase();
        var keys = new[] { "", "\"", "'", "--", "from", "select", "é", "😀", "\0" };
        await t.Db.WriteAsync(txn => Keyword.InsertManyAsync(txn, keys.Select((k, i) => new Keyword(k, i % 2))));
        await t.Db.ReadAsync(async txn =>
        {
            var all = await AllPages<Keyword, string>(after => Keyword.SelectPageByKeyAsync(txn, after, 2), k => k.Key, 2);
            CollectionAssert.AreEqual(keys.OrderBy(k => k, StringComparer.Ordinal).ToArray(), all.Select(k => k.Key).ToArray(), "UTF-8 byte order is UTF-16 order for these keys");
            CollectionAssert.AreEqual(new[] { "from", "select" }, (await Keyword.SelectKeyBetweenAsync(txn, "from", "select")).Select(k => k.Key).ToArray());
            CollectionAssert.AreEquivalent(new[] { "\"", "'", "\0" }, (await Keyword.SelectByKeyInAsync(txn, ["\"", "'", "\0", "nope"])).Select(k => k.Key).ToArray());
            Assert.AreEqual(4L, await Keyword.CountByNAsync(txn, 1));
            Assert.AreEqual(9L, await Keyword.CountAsync(txn));
        });
    }
}
