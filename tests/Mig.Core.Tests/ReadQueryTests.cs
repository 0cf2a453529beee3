using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.CodeGen;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests;

/// <summary>
/// The SQL of counts, pages, ranges and lists ([CountBy], [SelectPage], [SelectRange],
/// [SelectIn], and the CountAsync and InsertManyAsync every table gets), run on real files:
/// pages search the key's index from where they start, ranges compare stored forms that order
/// like the values, and a list reaches the statement as one JSON parameter that gives back
/// every value exactly.
/// </summary>
[TestClass]
public sealed class ReadQueryTests
{
    private const string Schema = """
        namespace Shop;

        public enum Tier { Free, Pro }

        [AutoIncPK(nameof(Id))]
        [Unique(nameof(Email))]
        [Index(nameof(DueAt))]
        [CountBy(nameof(Tier)), CountBy(nameof(Tier), nameof(Note))]
        [SelectPage(nameof(Id)), SelectPage(nameof(Email), OrderBy = "Email DESC")]
        [SelectRange(nameof(DueAt)), SelectRange(nameof(Score), OrderBy = "Id DESC")]
        [SelectIn(nameof(Id)), SelectIn(nameof(Blob))]
        public sealed record Customer(long Id, string Email, Tier Tier, string? Note, DateTime DueAt, double Score, byte[] Blob);

        [AutoIncPK(nameof(Id))]
        [CountBy(nameof(Customer)), SelectIn(nameof(Customer))]
        public sealed record Order(long Id, Customer Customer);

        [View, Join(typeof(Order), typeof(Customer))]
        [CountBy(nameof(CustomerEmail)), SelectRange(nameof(OrderId)), SelectIn(nameof(CustomerEmail))]
        public sealed record OrderView(long OrderId, string CustomerEmail);
        """;

    private const string Columns = "t0.id, t0.email, t0.tier, t0.note, t0.due_at, t0.score, t0.blob";

    private static IReadOnlyDictionary<string, GeneratedStatement> Statements(SchemaModel model) =>
        QueryEmitter.Generate(model, SchemaHash.Compute(model), "shop").Statements.ToDictionary(s => s.Constant, StringComparer.Ordinal);

    [TestMethod]
    public void EachKindBecomesItsStatement()
    {
        var s = Statements(SchemaFixture.Model(Schema));
        var expected = new Dictionary<string, string>
        {
            ["CustomerQueries.CountSql"] = "SELECT count(*) FROM customer",
            ["CustomerQueries.CountByTierSql"] = "SELECT count(*) FROM customer WHERE tier = @p0",
            ["CustomerQueries.CountByTierNoteSql"] = "SELECT count(*) FROM customer WHERE tier = @p0 AND note IS @p1",
            ["CustomerQueries.SelectPageByIdFirstSql"] = $"SELECT {Columns} FROM customer t0 ORDER BY t0.id ASC LIMIT @p0",
            ["CustomerQueries.SelectPageByIdSql"] = $"SELECT {Columns} FROM customer t0 WHERE t0.id > @p0 ORDER BY t0.id ASC LIMIT @p1",
            ["CustomerQueries.SelectPageByEmailOrderByEmailDescFirstSql"] = $"SELECT {Columns} FROM customer t0 ORDER BY t0.email DESC LIMIT @p0",
            ["CustomerQueries.SelectPageByEmailOrderByEmailDescSql"] = $"SELECT {Columns} FROM customer t0 WHERE t0.email < @p0 ORDER BY t0.email DESC LIMIT @p1",
            ["CustomerQueries.SelectDueAtBetweenSql"] = $"SELECT {Columns} FROM customer t0 WHERE t0.due_at BETWEEN @p0 AND @p1 ORDER BY t0.due_at ASC",
            ["CustomerQueries.SelectScoreBetweenOrderByIdDescSql"] = $"SELECT {Columns} FROM customer t0 WHERE t0.score BETWEEN @p0 AND @p1 ORDER BY t0.id DESC",
            ["CustomerQueries.SelectByIdInSql"] = $"SELECT {Columns} FROM customer t0 WHERE t0.id IN (SELECT value FROM json_each(@p0))",
            ["CustomerQueries.SelectByBlobInSql"] = $"SELECT {Columns} FROM customer t0 WHERE t0.blob IN (SELECT unhex(value) FROM json_each(@p0))",
            ["OrderQueries.CountSql"] = "SELECT count(*) FROM \"order\"",
            ["OrderQueries.CountByCustomerSql"] = "SELECT count(*) FROM \"order\" WHERE customer_id = @p0",
            ["OrderQueries.SelectByCustomerInSql"] = $"SELECT t0.id, {Columns.Replace("t0.", "t1.", StringComparison.Ordinal)} FROM \"order\" t0 JOIN customer t1 ON t0.customer_id = t1.id WHERE t0.customer_id IN (SELECT value FROM json_each(@p0))",
            ["OrderViewQueries.CountSql"] = "SELECT count(*) FROM order_view",
            ["OrderViewQueries.CountByCustomerEmailSql"] = "SELECT count(*) FROM order_view WHERE customer_email = @p0",
            ["OrderViewQueries.SelectOrderIdBetweenSql"] = "SELECT order_id, customer_email FROM order_view WHERE order_id BETWEEN @p0 AND @p1 ORDER BY order_id ASC",
            ["OrderViewQueries.SelectByCustomerEmailInSql"] = "SELECT order_id, customer_email FROM order_view WHERE customer_email IN (SELECT value FROM json_each(@p0))",
        };
        foreach (var (constant, sql) in expected)
        {
            Assert.IsTrue(s.ContainsKey(constant), $"{constant} is not generated; there are {string.Join(", ", s.Keys)}");
            Assert.AreEqual(sql, s[constant].Sql, constant);
        }
        // InsertManyAsync runs the insert's own statement: nothing new to prepare.
        Assert.IsFalse(s.Keys.Any(k => k.Contains("InsertMany", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void TheGeneratedMethodsHaveTheDocumentedSignatures()
    {
        var model = SchemaFixture.Model(Schema);
        var code = string.Join(" ", QueryEmitter.Emit(model, SchemaHash.Compute(model), "shop").Split('\n').Select(l => l.Trim()));
        foreach (var signature in new[]
        {
            "Task<long> CountAsync( global::Mig.MigTransaction txn, global::System.Threading.CancellationToken cancellationToken = default)",
            "Task<long> CountByTierNoteAsync( global::Mig.MigTransaction txn, global::Shop.Tier tier, string? note,",
            "Task<int> InsertManyAsync( global::Mig.MigTransaction txn, global::System.Collections.Generic.IEnumerable<global::Shop.Customer> rows,",
            "SelectPageByIdAsync( global::Mig.MigTransaction txn, long? after, int limit,",
            "SelectPageByEmailOrderByEmailDescAsync( global::Mig.MigTransaction txn, string? after, int limit,",
            "SelectDueAtBetweenAsync( global::Mig.MigTransaction txn, global::System.DateTime from, global::System.DateTime to,",
            "SelectByIdInAsync( global::Mig.MigTransaction txn, global::System.Collections.Generic.IReadOnlyCollection<long> ids,",
            "SelectByCustomerInAsync( global::Mig.MigTransaction txn, global::System.Collections.Generic.IReadOnlyCollection<global::Shop.Customer> customers,",
            "Task<long> CountByCustomerEmailAsync( global::Mig.MigTransaction txn, string customerEmail,",
        })
            StringAssert.Contains(code, signature);
    }

    [TestMethod]
    [DataRow("Id", "ids")]
    [DataRow("Status", "statuses")]
    [DataRow("Box", "boxes")]
    [DataRow("Category", "categories")]
    [DataRow("Key", "keys")]
    [DataRow("Value", "valuesList")]
    [DataRow("V", "vs")]
    [DataRow("Param", "paramsList")]
    [DataRow("Namé", "namés")]
    public void AListParameterIsThePluralOfItsProperty(string property, string parameter) =>
        Assert.AreEqual(parameter, SelectEmitter.ListArgumentName(property));

    private static List<string> Plan(TestDatabase db, string sql, params (string, object?)[] parameters) =>
        [.. db.Rows("EXPLAIN QUERY PLAN " + sql, parameters).Select(r => (string)r[3]!)];

    [TestMethod]
    public void APageSearchesTheKeysIndexFromWhereItStartsAndARangeAndAListUseTheirIndexes()
    {
        using var db = TestDatabase.Create(Schema, out var model);
        var s = Statements(model);
        var byId = Plan(db, s["CustomerQueries.SelectPageByIdSql"].Sql, ("@p0", 5L), ("@p1", 10L));
        CollectionAssert.Contains(byId, "SEARCH t0 USING INTEGER PRIMARY KEY (rowid>?)", string.Join("\n", byId));
        var byEmail = Plan(db, s["CustomerQueries.SelectPageByEmailOrderByEmailDescSql"].Sql, ("@p0", "m"), ("@p1", 10L));
        Assert.IsTrue(byEmail.Any(l => l.StartsWith("SEARCH t0 USING INDEX sqlite_autoindex_customer_1 (email<?)", StringComparison.Ordinal)), string.Join("\n", byEmail));
        Assert.IsFalse(byEmail.Any(l => l.Contains("TEMP B-TREE", StringComparison.Ordinal)), "the index gives the order: " + string.Join("\n", byEmail));
        var range = Plan(db, s["CustomerQueries.SelectDueAtBetweenSql"].Sql, ("@p0", "a"), ("@p1", "b"));
        Assert.IsTrue(range.Any(l => l.Contains("USING INDEX ix_customer_due_at (due_at>? AND due_at<?)", StringComparison.Ordinal)), string.Join("\n", range));
        var list = Plan(db, s["CustomerQueries.SelectByIdInSql"].Sql, ("@p0", "[1]"));
        Assert.IsTrue(list.Any(l => l.Contains("USING INTEGER PRIMARY KEY (rowid=?)", StringComparison.Ordinal)), string.Join("\n", list));
    }

    [TestMethod]
    public void PagesWalkEveryRowOnceInKeyOrderAscendingAndDescending()
    {
        using var db = TestDatabase.Create(Schema, out var model);
        var s = Statements(model);
        var emails = Enumerable.Range(0, 23).Select(i => $"user{i:00}@x").Reverse().ToList();
        foreach (var e in emails)
            db.Execute("INSERT INTO customer(email, tier, due_at, score, blob) VALUES (@e, 0, '', 0, x'')", ("@e", e));
        List<object?[]> Page(string name, object? after, long limit) => after is null
            ? db.Rows(s[$"CustomerQueries.{name}FirstSql"].Sql, ("@p0", limit))
            : db.Rows(s[$"CustomerQueries.{name}Sql"].Sql, ("@p0", after), ("@p1", limit));
        foreach (var (name, column, expected) in new[]
        {
            ("SelectPageById", 0, Enumerable.Range(1, 23).Select(i => (object)(long)i).ToList()),
            ("SelectPageByEmailOrderByEmailDesc", 1, emails.OrderByDescending(e => e, StringComparer.Ordinal).Cast<object>().ToList()),
        })
        {
            var seen = new List<object>();
            object? after = null;
            for (var pages = 0; ; pages++)
            {
                Assert.IsLessThan(10, pages, "paging must end");
                var page = Page(name, after, 5);
                if (page.Count == 0) break;
                Assert.IsLessThanOrEqualTo(5, page.Count);
                seen.AddRange(page.Select(r => r[column]!));
                after = page[^1][column];
            }
            CollectionAssert.AreEqual(expected, seen, name);
        }
    }

    /// <summary>Stored DateTimes of every Kind around one instant of wall-clock ticks.</summary>
    private static IEnumerable<DateTime> DateTimes()
    {
        var at = new DateTime(2025, 3, 1, 9, 30, 0);
        foreach (var ticks in new[] { -10_000_000L, -1, 0, 1, 10_000_000 })
        {
            var t = at.AddTicks(ticks);
            yield return DateTime.SpecifyKind(t, DateTimeKind.Unspecified);
            yield return DateTime.SpecifyKind(t, DateTimeKind.Utc);
            yield return DateTime.SpecifyKind(t, DateTimeKind.Local);
        }
        yield return DateTime.MinValue;
        yield return DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc);
    }

    [TestMethod]
    public void ADateTimeRangeTakesInEveryKindAtItsBoundsTicksAsDateTimeCompares()
    {
        using var db = TestDatabase.Create(Schema, out var model);
        var range = Statements(model)["CustomerQueries.SelectDueAtBetweenSql"].Sql;
        var values = DateTimes().ToList();
        for (var i = 0; i < values.Count; i++)
            db.Execute("INSERT INTO customer(email, tier, due_at, score, blob) VALUES (@e, 0, @d, 0, x'')", ("@e", i.ToString(CultureInfo.InvariantCulture)), ("@d", StorageFormat.Text(values[i])));
        foreach (var from in values)
        {
            foreach (var to in values)
            {
                var found = db.Rows(range, ("@p0", MigValue.ToDbRangeStart(from)), ("@p1", MigValue.ToDbRangeEnd(to)))
                    .Select(r => StorageFormat.DateTime((string)r[4]!)).ToList();
                var expected = values.Where(v => v >= from && v <= to).OrderBy(v => v.Ticks).ToList();
                CollectionAssert.AreEquivalent(expected.Select(StorageFormat.Text).ToList(), found.Select(StorageFormat.Text).ToList(), $"{StorageFormat.Text(from)} to {StorageFormat.Text(to)}");
                CollectionAssert.AreEqual(expected.Select(v => v.Ticks).ToList(), found.Select(v => v.Ticks).ToList(), "in tick order");
            }
        }
    }

    /// <summary>Values of a kind, and their C# order; each stored form must sort in SQLite as the values sort in C#.</summary>
    private static IEnumerable<(string Kind, object?[] Stored, Comparison<int> ValueOrder)> OrderedKinds(Random random)
    {
        (string, object?[], Comparison<int>) Of<T>(string kind, IReadOnlyList<T> values, Comparison<T> order) =>
            (kind, [.. values.Select(v => StorageFormat.ToStorage(v))], (a, b) => order(values[a], values[b]));
        var longs = new List<long> { long.MinValue, long.MaxValue, 0, -1, 1 };
        longs.AddRange(Enumerable.Range(0, 200).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)));
        yield return Of("long", longs, (a, b) => a.CompareTo(b));
        var doubles = new List<double> { double.MinValue, double.MaxValue, double.Epsilon, -double.Epsilon, 0, double.PositiveInfinity, double.NegativeInfinity, 1e-300, 9007199254740993 };
        doubles.AddRange(Enumerable.Range(0, 200).Select(_ => BitConverter.Int64BitsToDouble(random.NextInt64())).Where(double.IsFinite));
        yield return Of("double", doubles, (a, b) => a.CompareTo(b));
        var strings = new List<string> { "", "a", "A", "B", "a\0", "a\0b", "é", "e\u0301", "\uffff", "😀", "\ue000", "z", "~", "'", "\"" };
        yield return Of("string by code point", strings, (a, b) => string.CompareOrdinal(CodePoints(a), CodePoints(b)));
        var days = new List<DateOnly> { DateOnly.MinValue, DateOnly.MaxValue };
        days.AddRange(Enumerable.Range(0, 200).Select(_ => DateOnly.FromDayNumber(random.Next(DateOnly.MaxValue.DayNumber))));
        yield return Of("DateOnly", days, (a, b) => a.CompareTo(b));
        var times = new List<TimeOnly> { TimeOnly.MinValue, TimeOnly.MaxValue };
        times.AddRange(Enumerable.Range(0, 200).Select(_ => new TimeOnly(random.NextInt64(TimeOnly.MaxValue.Ticks))));
        yield return Of("TimeOnly", times, (a, b) => a.CompareTo(b));
        var guids = new List<Guid> { Guid.Empty, Guid.AllBitsSet };
        guids.AddRange(Enumerable.Range(0, 200).Select(_ => new Guid(random.Next(), (short)random.Next(), (short)random.Next(), (byte)random.Next(256), (byte)random.Next(256), 0, 0, 0, 0, 0, (byte)random.Next(256))));
        guids.AddRange(Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()));
        yield return Of("Guid", guids, (a, b) => a.CompareTo(b));
        var stamps = new List<DateTime> { DateTime.MinValue, DateTime.MaxValue };
        stamps.AddRange(Enumerable.Range(0, 200).Select(_ => new DateTime(random.NextInt64(DateTime.MaxValue.Ticks), DateTimeKind.Utc)));
        yield return Of("DateTime of one Kind", stamps, (a, b) => a.CompareTo(b));
    }

    /// <summary>A string whose UTF-16 order is the code point order of <paramref name="s"/> (each code point as 6 hex digits).</summary>
    private static string CodePoints(string s) =>
        string.Concat(s.EnumerateRunes().Select(r => r.Value.ToString("x6", CultureInfo.InvariantCulture)));

    [TestMethod]
    public void TheStoredFormOfEachKindARangeAcceptsSortsLikeItsValues()
    {
        using var db = TestDatabase.Create("""
            [AutoIncPK(nameof(Id))]
            public sealed record Any(long Id);
            """, out _);
        db.Execute("CREATE TABLE sorted(i INTEGER, v)");
        foreach (var (kind, stored, order) in OrderedKinds(new Random(14)))
        {
            db.Execute("DELETE FROM sorted");
            for (var i = 0; i < stored.Length; i++) db.Execute("INSERT INTO sorted VALUES (@i, @v)", ("@i", (long)i), ("@v", stored[i]));
            var bySqlite = db.Rows("SELECT i FROM sorted ORDER BY v, i").Select(r => (int)(long)r[0]!).ToList();
            var byCSharp = Enumerable.Range(0, stored.Length).ToList();
            byCSharp.Sort((a, b) => order(a, b) is var c && c != 0 ? c : a.CompareTo(b));
            CollectionAssert.AreEqual(byCSharp, bySqlite, kind);
        }
    }

    [TestMethod]
    public void TheStoredFormsARangeRefusesDoNotSortLikeTheirValues()
    {
        // What MIG0024 guards against: the order SQLite would use is not the values'.
        Assert.IsLessThan(0, string.CompareOrdinal(StorageFormat.Text(10.5m), StorageFormat.Text(9m)), "decimal: 10.5 sorts before 9");
        var early = new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.FromHours(2));
        var late = new DateTimeOffset(2025, 1, 1, 9, 0, 0, TimeSpan.Zero);
        Assert.IsLessThan(late, early);
        Assert.IsGreaterThan(0, string.CompareOrdinal(StorageFormat.Text(early), StorageFormat.Text(late)), "DateTimeOffset: the earlier instant sorts after");
        Assert.IsLessThan(0, string.CompareOrdinal(StorageFormat.Text(TimeSpan.FromDays(1)), StorageFormat.Text(TimeSpan.FromHours(10))), "TimeSpan: 1 day sorts before 10 hours");
        Assert.IsGreaterThan(0, string.CompareOrdinal(StorageFormat.Text(TimeSpan.FromDays(-1)), StorageFormat.Text(TimeSpan.FromHours(-1))), "TimeSpan: -1 day sorts after -1 hour");
        foreach (var kind in new[] { ValueKind.Decimal, ValueKind.DateTimeOffset, ValueKind.TimeSpan, ValueKind.Bytes })
            Assert.IsNotNull(TypeMapping.UnorderedBecause(kind), kind.ToString());
    }

    /// <summary>Values at the edges of each mapped type, as a [SelectIn] list meets them.</summary>
    private static IEnumerable<(string Kind, object?[] Values, Action<MigValueList, object?> Add)> ListValues()
    {
        (string, object?[], Action<MigValueList, object?>) Of<T>(string kind, Action<MigValueList, T> add, params T[] values) =>
            (kind, [.. values.Cast<object?>()], (list, v) => add(list, (T)v!));
        yield return Of<long>("long", (l, v) => l.Add(v), long.MinValue, long.MaxValue, 0, -1, 1, int.MinValue, 1L << 53, (1L << 53) + 1);
        yield return Of<int>("int", (l, v) => l.Add(v), int.MinValue, int.MaxValue, 0);
        yield return Of<short>("short", (l, v) => l.Add(v), short.MinValue, short.MaxValue);
        yield return Of<byte>("byte", (l, v) => l.Add(v), byte.MinValue, byte.MaxValue);
        yield return Of<bool>("bool", (l, v) => l.Add(v), true, false);
        yield return Of<double>("double", (l, v) => l.Add(v), double.MinValue, double.MaxValue, double.Epsilon, -double.Epsilon, double.PositiveInfinity,
            double.NegativeInfinity, 0.1, 1e-300, 1.7976931348623155e308, 2.2250738585072014E-308, 123456789.123456789, 1e20, 3);
        yield return Of<float>("float", (l, v) => l.Add(v), float.MinValue, float.MaxValue, float.Epsilon, 0.1f, float.PositiveInfinity);
        yield return Of<string>("string", (l, v) => l.Add(v),
            "", " ", "\"", "\\", "\\\"", "'", "\0", "a\0b", "\u0001\u001f\u007f", "\n\r\t", "é", "e\u0301", "😀", "\u2028\u2029", "\uffff",
            "null", "[1]", "\"],[\"", "\\u0000", "{\"a\":1}", "O'Brien \"Bob\" \\x");
        yield return Of<decimal>("decimal", (l, v) => l.Add(v), 0m, 0.0m, 120.50m, -1m, decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m);
        yield return Of<byte[]>("byte[]", (l, v) => l.Add(v), [], [0], [0, 0], [0xff, 0x00, 0x7f], [.. Enumerable.Range(0, 256).Select(i => (byte)i)]);
        yield return Of<DateTime>("DateTime", (l, v) => l.Add(v), DateTime.MinValue, DateTime.MaxValue, new DateTime(2025, 3, 1, 9, 30, 0, DateTimeKind.Utc),
            new DateTime(2025, 3, 1, 9, 30, 0, DateTimeKind.Local), new DateTime(2025, 3, 1, 9, 30, 0, DateTimeKind.Unspecified));
        yield return Of<DateTimeOffset>("DateTimeOffset", (l, v) => l.Add(v), DateTimeOffset.MinValue, DateTimeOffset.MaxValue,
            new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.FromHours(13)), new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.FromHours(-5)));
        yield return Of<DateOnly>("DateOnly", (l, v) => l.Add(v), DateOnly.MinValue, DateOnly.MaxValue);
        yield return Of<TimeOnly>("TimeOnly", (l, v) => l.Add(v), TimeOnly.MinValue, TimeOnly.MaxValue);
        yield return Of<TimeSpan>("TimeSpan", (l, v) => l.Add(v), TimeSpan.MinValue, TimeSpan.MaxValue, TimeSpan.Zero, TimeSpan.FromTicks(-1));
        yield return Of<Guid>("Guid", (l, v) => l.Add(v), Guid.Empty, Guid.AllBitsSet, Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301"));
    }

    [TestMethod]
    public void EveryListValueFindsExactlyTheRowThatStoresIt()
    {
        using var db = TestDatabase.Create("""
            [AutoIncPK(nameof(Id))]
            public sealed record Any(long Id);
            """, out _);
        db.Execute("CREATE TABLE stored(i INTEGER, v)");
        foreach (var (kind, values, add) in ListValues())
        {
            db.Execute("DELETE FROM stored");
            for (var i = 0; i < values.Length; i++) db.Execute("INSERT INTO stored VALUES (@i, @v)", ("@i", (long)i), ("@v", StorageFormat.ToStorage(values[i])));
            var value = kind == "byte[]" ? "unhex(value)" : "value";
            var sql = $"SELECT i FROM stored WHERE v IN (SELECT {value} FROM json_each(@p0)) ORDER BY i";
            for (var i = 0; i < values.Length; i++)
            {
                var one = new MigValueList(1);
                add(one, values[i]);
                var found = db.Rows(sql, ("@p0", one.ToDb())).Select(r => (long)r[0]!).ToList();
                CollectionAssert.AreEqual(new[] { (long)i }, found, $"{kind} #{i}: {one}");
            }
            var all = new MigValueList(values.Length);
            foreach (var v in values) add(all, v);
            Assert.HasCount(values.Length, db.Rows(sql, ("@p0", all.ToDb())), $"{kind}: every value at once: {all}");
        }
    }

    [TestMethod]
    public void AListHoldsNullsAndNaNAsValuesThatMatchNothing()
    {
        var list = new MigValueList(4);
        list.Add(double.NaN);
        list.Add((string?)null);
        list.Add((byte[]?)null);
        list.Add(-0.0);
        Assert.AreEqual("[null,null,null,-0]", list.ToString());
        using var db = TestDatabase.Create("""
            [AutoIncPK(nameof(Id))]
            public sealed record Any(long Id);
            """, out _);
        db.Execute("CREATE TABLE stored(v)");
        db.Execute("INSERT INTO stored VALUES (NULL), (0.0)");
        Assert.AreEqual(1L, db.Scalar("SELECT count(*) FROM stored WHERE v IN (SELECT value FROM json_each(@p0))", ("@p0", list.ToDb())), "only 0.0, as -0.0: NULL is in no list");
    }

    [TestMethod]
    public void ALongListIsStillOneParameter()
    {
        using var db = TestDatabase.Create(Schema, out var model);
        db.Execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) " +
            "INSERT INTO customer(email, tier, due_at, score, blob) SELECT 'u' || i, 0, '', 0, x'' FROM n");
        var ids = new MigValueList(100_000);
        for (var i = 0L; i < 100_000; i += 2) ids.Add(i);
        var sql = Statements(model)["CustomerQueries.SelectByIdInSql"].Sql;
        Assert.HasCount(2500, db.Rows(sql, ("@p0", ids.ToDb())));
    }

    [TestMethod]
    public void AColumnNamedValueOrKeyIsNotJsonEachsOwn()
    {
        // json_each has columns named value and key: the list's subquery must read its own,
        // and the outer filter the table's or view's, however they are named.
        using var db = TestDatabase.Create("""
            [AutoIncPK(nameof(Id))]
            [SelectIn(nameof(Value)), SelectIn(nameof(Key))]
            public sealed record Thing(long Id, [Column("value")] long Value, [Column("key")] string Key);

            [ViewSql("SELECT value, key, id FROM thing")]
            [SelectIn(nameof(Value)), SelectIn(nameof(Key))]
            public sealed record ThingView([Column("value")] long Value, [Column("key")] string Key, long Id);
            """, out var model);
        foreach (var (value, key) in new[] { (10L, "a"), (20L, "b"), (30L, "0") })
            db.Execute("INSERT INTO thing(value, key) VALUES (@v, @k)", ("@v", value), ("@k", key));
        var s = Statements(model);
        foreach (var type in new[] { "Thing", "ThingView" })
        {
            var byValue = s[$"{type}Queries.SelectByValueInSql"];
            var byKey = s[$"{type}Queries.SelectByKeyInSql"];
            var ids = (GeneratedStatement st, string list) => db.Rows(st.Sql, ("@p0", list)).Select(r => (long)r[type == "Thing" ? 0 : 2]!).Order().ToArray();
            CollectionAssert.AreEqual(new[] { 1L, 3L }, ids(byValue, "[10, 30, 0, 1]"), $"{type}: {byValue.Sql}");
            CollectionAssert.AreEqual(new[] { 3L }, ids(byKey, "[\"0\", \"c\"]"), $"{type}: {byKey.Sql}");
        }
    }
}
