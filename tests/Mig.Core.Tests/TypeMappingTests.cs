using System.Globalization;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests;

[TestClass]
public sealed class TypeMappingTests
{
    private static string Schema(string valueType) => $$"""
        public enum Color { Red, Green, Blue }
        [PK(nameof(Id))]
        public sealed record Holder(long Id, {{valueType}} Value);
        """;

    [TestMethod]
    [DataRow("long", "INTEGER", nameof(ValueKind.Int64))]
    [DataRow("int", "INTEGER", nameof(ValueKind.Int32))]
    [DataRow("short", "INTEGER", nameof(ValueKind.Int16))]
    [DataRow("byte", "INTEGER", nameof(ValueKind.Byte))]
    [DataRow("bool", "INTEGER", nameof(ValueKind.Boolean))]
    [DataRow("Color", "INTEGER", nameof(ValueKind.Enum))]
    [DataRow("string", "TEXT", nameof(ValueKind.String))]
    [DataRow("double", "REAL", nameof(ValueKind.Double))]
    [DataRow("float", "REAL", nameof(ValueKind.Single))]
    [DataRow("decimal", "TEXT", nameof(ValueKind.Decimal))]
    [DataRow("byte[]", "BLOB", nameof(ValueKind.Bytes))]
    [DataRow("DateTime", "TEXT", nameof(ValueKind.DateTime))]
    [DataRow("DateTimeOffset", "TEXT", nameof(ValueKind.DateTimeOffset))]
    [DataRow("DateOnly", "TEXT", nameof(ValueKind.DateOnly))]
    [DataRow("TimeOnly", "TEXT", nameof(ValueKind.TimeOnly))]
    [DataRow("TimeSpan", "TEXT", nameof(ValueKind.TimeSpan))]
    [DataRow("Guid", "TEXT", nameof(ValueKind.Guid))]
    public void TypeIsNotNullColumn(string csType, string sqlType, string kind) =>
        AssertMapping(csType, sqlType, Enum.Parse<ValueKind>(kind), notNull: true);

    [TestMethod]
    [DataRow("long?", "INTEGER", nameof(ValueKind.Int64))]
    [DataRow("int?", "INTEGER", nameof(ValueKind.Int32))]
    [DataRow("short?", "INTEGER", nameof(ValueKind.Int16))]
    [DataRow("byte?", "INTEGER", nameof(ValueKind.Byte))]
    [DataRow("bool?", "INTEGER", nameof(ValueKind.Boolean))]
    [DataRow("Color?", "INTEGER", nameof(ValueKind.Enum))]
    [DataRow("Nullable<long>", "INTEGER", nameof(ValueKind.Int64))]
    [DataRow("string?", "TEXT", nameof(ValueKind.String))]
    [DataRow("double?", "REAL", nameof(ValueKind.Double))]
    [DataRow("float?", "REAL", nameof(ValueKind.Single))]
    [DataRow("decimal?", "TEXT", nameof(ValueKind.Decimal))]
    [DataRow("byte[]?", "BLOB", nameof(ValueKind.Bytes))]
    [DataRow("DateTime?", "TEXT", nameof(ValueKind.DateTime))]
    [DataRow("DateTimeOffset?", "TEXT", nameof(ValueKind.DateTimeOffset))]
    [DataRow("DateOnly?", "TEXT", nameof(ValueKind.DateOnly))]
    [DataRow("TimeOnly?", "TEXT", nameof(ValueKind.TimeOnly))]
    [DataRow("TimeSpan?", "TEXT", nameof(ValueKind.TimeSpan))]
    [DataRow("Guid?", "TEXT", nameof(ValueKind.Guid))]
    public void NullableTypeIsNullableColumn(string csType, string sqlType, string kind) =>
        AssertMapping(csType, sqlType, Enum.Parse<ValueKind>(kind), notNull: false);

    private static void AssertMapping(string csType, string sqlType, ValueKind kind, bool notNull)
    {
        using var db = TestDatabase.Create(Schema(csType), out var model);
        var table = model.Table("holder");
        var column = table.FindColumn("value")!;
        Assert.AreEqual(kind, column.Kind);
        Assert.AreEqual(notNull, column.NotNull);

        var expected = notNull ? $"value {sqlType} NOT NULL" : $"value {sqlType}";
        CollectionAssert.Contains(SchemaFixture.DefinitionLines(Ddl.CreateTable(table)).ToList(), expected);

        var actual = db.Column("holder", "value");
        Assert.AreEqual(sqlType, actual.Type);
        Assert.AreEqual(notNull, actual.NotNull);
        Assert.AreEqual(0, actual.Pk);
        if (notNull)
            Assert.ThrowsExactly<Microsoft.Data.Sqlite.SqliteException>(() => db.Execute("INSERT INTO holder(id, value) VALUES (1, NULL)"));
        else
            Assert.AreEqual(1, db.Execute("INSERT INTO holder(id, value) VALUES (1, NULL)"));
    }

    [TestMethod]
    public void SeedValuesAreStoredInTheirCanonicalForm()
    {
        const string source = """
            public enum Color { Red, Green, Blue }
            [PK(nameof(Id))]
            public sealed record Sample(long Id, int I, short S, byte B, bool Flag, Color Color, double D, float F, decimal Money,
                byte[] Bytes, DateTime At, DateTimeOffset AtOffset, DateOnly Day, TimeOnly Time, TimeSpan Span, Guid Key, string? Note);
            public static class Seeds
            {
                public static Sample One => new(1, -5, 7, 255, true, Color.Blue, 0.25, 1.5f, 1.50m,
                    [1, 2, 3], new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
                    new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), new DateOnly(2024, 1, 2),
                    new TimeOnly(13, 14, 15), new TimeSpan(1, 2, 3, 4), new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"), null);
            }
            """;
        using var db = TestDatabase.Create(source, out _);
        var row = db.Rows("""
            SELECT i, typeof(i), s, b, flag, color, d, typeof(d), f, money, typeof(money), bytes, typeof(bytes),
                   at, at_offset, day, time, span, key, note FROM sample
            """).Single();
        Assert.AreEqual(-5L, row[0]);
        Assert.AreEqual("integer", row[1]);
        Assert.AreEqual(7L, row[2]);
        Assert.AreEqual(255L, row[3]);
        Assert.AreEqual(1L, row[4]);
        Assert.AreEqual(2L, row[5]);
        Assert.AreEqual(0.25, row[6]);
        Assert.AreEqual("real", row[7]);
        Assert.AreEqual(1.5, row[8]);
        Assert.AreEqual("1.50", row[9], "decimal keeps its scale as exact text");
        Assert.AreEqual("text", row[10]);
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, (byte[])row[11]!);
        Assert.AreEqual("blob", row[12]);
        Assert.AreEqual("2024-01-02T03:04:05.0000000Z", row[13]);
        Assert.AreEqual("2024-01-02T03:04:05.0000000+02:00", row[14]);
        Assert.AreEqual("2024-01-02", row[15]);
        Assert.AreEqual("13:14:15.0000000", row[16]);
        Assert.AreEqual("1.02:03:04", row[17]);
        Assert.AreEqual("0f8fad5b-d9cb-469f-a165-70867728950e", row[18]);
        Assert.IsNull(row[19]);

        // The text forms parse back to the very same values.
        Assert.AreEqual(DateTimeKind.Utc, DateTime.Parse((string)row[13]!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).Kind);
        Assert.AreEqual(TimeSpan.FromHours(2), DateTimeOffset.Parse((string)row[14]!, CultureInfo.InvariantCulture).Offset);
        Assert.AreEqual(2, decimal.GetBits(decimal.Parse((string)row[9]!, CultureInfo.InvariantCulture))[3] >> 16 & 0xFF);
    }

    [TestMethod]
    public void ReferenceColumnTakesTheReferencedKeyType()
    {
        const string source = """
            [PK(nameof(Code))]
            public sealed record Country(string Code, string Name);
            [PK(nameof(Id))]
            public sealed record City(long Id, Country Country, Country? Twin);
            """;
        using var db = TestDatabase.Create(source, out var model);
        var lines = SchemaFixture.DefinitionLines(Ddl.CreateTable(model.Table("city"))).ToList();
        CollectionAssert.Contains(lines, "country_code TEXT NOT NULL");
        CollectionAssert.Contains(lines, "twin_code TEXT");
        Assert.AreEqual(new DbColumn("country_code", "TEXT", true, null, 0), db.Column("city", "country_code"));
        Assert.AreEqual(new DbColumn("twin_code", "TEXT", false, null, 0), db.Column("city", "twin_code"));
    }
}
