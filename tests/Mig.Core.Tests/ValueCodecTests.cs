using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mig.Core.Tests;

/// <summary>
/// Every mapped type, at its extremes, written into a real file the way generated code
/// binds it (<see cref="MigValue"/>.ToDb), read back the way generated code reads it, and
/// compared with what the build stores for the same value in a seed row
/// (<see cref="StorageFormat.ToStorage"/>): one format, both paths.
/// </summary>
[TestClass]
public sealed class ValueCodecTests
{
    private const string Source = """
        public enum Level : long { Low = long.MinValue, Zero = 0, High = long.MaxValue }
        [PK(nameof(Id))]
        public sealed record Holder(long Id, long? Int64, int? Int32, short? Int16, byte? Byte, bool? Boolean, Level? Enum,
            string? String, double? Double, float? Single, decimal? Decimal, byte[]? Bytes, DateTime? DateTime,
            DateTimeOffset? DateTimeOffset, DateOnly? DateOnly, TimeOnly? TimeOnly, TimeSpan? TimeSpan, Guid? Guid);
        """;

    private enum Level : long { Low = long.MinValue, Zero = 0, High = long.MaxValue }

    /// <summary>One value: the column of its type, what generated code binds, and how generated code reads it.</summary>
    private sealed record Case(string Property, object Value, object Bound, Func<SqliteDataReader, int, object> Read)
    {
        public override string ToString() => $"{Property} {Show(Value)}";
    }

    private static Case C<T>(string property, T value, Func<T, object> toDb, Func<SqliteDataReader, int, T> read) where T : notnull =>
        new(property, value, toDb(value), (r, i) => read(r, i));

    private static IEnumerable<Case> Cases()
    {
        foreach (var v in new[] { long.MinValue, -1L, 0L, long.MaxValue })
            yield return C("Int64", v, MigValue.ToDb, (r, i) => r.GetInt64(i));
        foreach (var v in new[] { int.MinValue, 0, int.MaxValue })
            yield return C("Int32", v, MigValue.ToDb, (r, i) => r.GetInt32(i));
        foreach (var v in new[] { short.MinValue, (short)0, short.MaxValue })
            yield return C("Int16", v, MigValue.ToDb, (r, i) => r.GetInt16(i));
        foreach (var v in new[] { byte.MinValue, byte.MaxValue })
            yield return C("Byte", v, MigValue.ToDb, (r, i) => r.GetByte(i));
        foreach (var v in new[] { false, true })
            yield return C("Boolean", v, MigValue.ToDb, MigValue.ReadBoolean);
        foreach (var v in new[] { Level.Low, Level.Zero, Level.High })
            yield return C("Enum", v, e => MigValue.ToDb((long)e), (r, i) => (Level)r.GetInt64(i));
        foreach (var v in new[] { "", "plain", "ünïcödé \u2028 😀", "line\nbreak", "it's \"quoted\"" })
            yield return C("String", v, MigValue.ToDb, (r, i) => r.GetString(i));
        foreach (var v in new[] { double.MinValue, double.MaxValue, double.Epsilon, -double.Epsilon, 0.1, 1e-300, double.PositiveInfinity, double.NegativeInfinity })
            yield return C("Double", v, MigValue.ToDb, (r, i) => r.GetDouble(i));
        foreach (var v in new[] { float.MinValue, float.MaxValue, float.Epsilon, 0.1f, float.PositiveInfinity, float.NegativeInfinity })
            yield return C("Single", v, MigValue.ToDb, (r, i) => r.GetFloat(i));
        foreach (var v in new[] { decimal.MinValue, decimal.MaxValue, 0m, 1.10m, -1.10m, 0.0000000000000000000000000001m, 1.0000000000000000000000000000m })
            yield return C("Decimal", v, MigValue.ToDb, MigValue.ReadDecimal);
        foreach (var v in new[] { new byte[] { 0 }, [0, 1, 2, 254, 255], new byte[70000] })
            yield return C("Bytes", v, MigValue.ToDb, MigValue.ReadBytes);
        foreach (var v in new[]
        {
            DateTime.MinValue, DateTime.MaxValue,
            new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc).AddTicks(1234567),
            new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Unspecified).AddTicks(1),
            new DateTime(2024, 6, 1, 12, 0, 0, DateTimeKind.Local).AddTicks(9999999),
            DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc),
        })
            yield return C("DateTime", v, MigValue.ToDb, MigValue.ReadDateTime);
        foreach (var v in new[]
        {
            DateTimeOffset.MinValue, DateTimeOffset.MaxValue,
            new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromHours(14)).AddTicks(1234567),
            new DateTimeOffset(2024, 2, 29, 0, 0, 0, TimeSpan.FromMinutes(-(14 * 60))),
            new DateTimeOffset(2024, 2, 29, 0, 0, 0, new TimeSpan(5, 45, 0)),
        })
            yield return C("DateTimeOffset", v, MigValue.ToDb, MigValue.ReadDateTimeOffset);
        foreach (var v in new[] { DateOnly.MinValue, DateOnly.MaxValue, new DateOnly(2024, 2, 29) })
            yield return C("DateOnly", v, MigValue.ToDb, MigValue.ReadDateOnly);
        foreach (var v in new[] { TimeOnly.MinValue, TimeOnly.MaxValue, new TimeOnly(12, 34, 56).Add(TimeSpan.FromTicks(7)) })
            yield return C("TimeOnly", v, MigValue.ToDb, MigValue.ReadTimeOnly);
        foreach (var v in new[] { TimeSpan.MinValue, TimeSpan.MaxValue, TimeSpan.Zero, TimeSpan.FromTicks(-1), new TimeSpan(1, 2, 3, 4, 5).Add(TimeSpan.FromTicks(6)) })
            yield return C("TimeSpan", v, MigValue.ToDb, MigValue.ReadTimeSpan);
        foreach (var v in new[] { Guid.Empty, new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"), Guid.AllBitsSet })
            yield return C("Guid", v, MigValue.ToDb, MigValue.ReadGuid);
    }

    [TestMethod]
    public void EveryMappedValueRoundTripsThroughAFileTheSameWayOnBothPaths()
    {
        using var db = TestDatabase.Create(Source, out var model);
        var table = model.Table("holder");
        var id = 0L;
        var failures = new List<string>();
        foreach (var c in Cases())
        {
            var column = SqlIdentifier.Quote(table.Columns.Single(col => col.Property == c.Property).Name);
            var seeded = StorageFormat.ToStorage(c.Value);
            // Generated code path: bound as ToDb gives it, read as the generated Read does.
            var generatedId = ++id;
            db.Execute($"INSERT INTO holder(id, {column}) VALUES (@id, @v)", ("@id", generatedId), ("@v", c.Bound));
            // Seed path: the build's form of the same value.
            var seedId = ++id;
            db.Execute($"INSERT INTO holder(id, {column}) VALUES (@id, @v)", ("@id", seedId), ("@v", seeded));

            if (!Same(c.Bound, seeded)) failures.Add($"{c}: ToDb gives {Show(c.Bound)}, ToStorage {Show(seeded)}");
            var stored = db.Rows($"SELECT typeof({column}), {column} FROM holder WHERE id IN (@a, @b) ORDER BY id", ("@a", generatedId), ("@b", seedId));
            if (!Same(stored[0][0], stored[1][0]) || !Same(stored[0][1], stored[1][1]))
                failures.Add($"{c}: stored {Show(stored[0][1])} ({stored[0][0]}) from generated code, {Show(stored[1][1])} ({stored[1][0]}) from a seed");

            using var cmd = db.Connection.CreateCommand();
            cmd.CommandText = $"SELECT {column} FROM holder WHERE id = @id";
            cmd.Parameters.AddWithValue("@id", generatedId);
            using var r = cmd.ExecuteReader();
            r.Read();
            var back = c.Read(r, 0);
            if (!Same(c.Value, back)) failures.Add($"{c}: reads back as {Show(back)}");
        }
        if (failures.Count > 0) Assert.Fail(string.Join("\n", failures));
    }

    /// <summary>Microsoft.Data.Sqlite refuses to bind NaN (SQLite would store NULL), whichever path the value takes.</summary>
    [TestMethod]
    public void NaNIsRefusedOnBothPaths()
    {
        using var db = TestDatabase.Create(Source, out _);
        foreach (var value in new[] { MigValue.ToDb(double.NaN), MigValue.ToDb(float.NaN), StorageFormat.ToStorage(double.NaN)!, StorageFormat.ToStorage(float.NaN)! })
            Assert.ThrowsExactly<InvalidOperationException>(() => db.Execute("INSERT INTO holder(id, double) VALUES (1, @v)", ("@v", value)));
    }

    /// <summary>SQLite keeps a REAL that is a whole number as an integer, so negative zero comes back as zero (equal, but not the same bits).</summary>
    [TestMethod]
    public void NegativeZeroReadsBackAsZero()
    {
        using var db = TestDatabase.Create(Source, out _);
        db.Execute("INSERT INTO holder(id, double, single) VALUES (1, @d, @f)", ("@d", MigValue.ToDb(-0.0)), ("@f", MigValue.ToDb(-0.0f)));
        db.Execute("INSERT INTO holder(id, double, single) VALUES (2, @d, @f)", ("@d", StorageFormat.ToStorage(-0.0)), ("@f", StorageFormat.ToStorage(-0.0f)));
        foreach (var row in db.Rows("SELECT double, single FROM holder"))
        {
            Assert.AreEqual(0L, BitConverter.DoubleToInt64Bits((double)row[0]!));
            Assert.AreEqual(0L, BitConverter.DoubleToInt64Bits((double)row[1]!));
        }
    }

    [TestMethod]
    public void NullIsNullOnBothPaths()
    {
        Assert.IsNull(StorageFormat.ToStorage(null));
        Assert.AreSame(DBNull.Value, MigValue.ToDb((long?)null));
        Assert.AreSame(DBNull.Value, MigValue.ToDb((decimal?)null));
        Assert.AreSame(DBNull.Value, MigValue.ToDb((DateTime?)null));
        Assert.AreSame(DBNull.Value, MigValue.ToDb((string?)null));
        Assert.AreSame(DBNull.Value, MigValue.ToDb((byte[]?)null));
    }

    /// <summary>Equal down to the representation: a double's sign of zero, a decimal's scale, a DateTime's Kind, an offset.</summary>
    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (double x, double y) => BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y),
        (float x, float y) => BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y),
        (decimal x, decimal y) => decimal.GetBits(x).SequenceEqual(decimal.GetBits(y)),
        (DateTime x, DateTime y) => x.Ticks == y.Ticks && x.Kind == y.Kind,
        (DateTimeOffset x, DateTimeOffset y) => x.Ticks == y.Ticks && x.Offset == y.Offset,
        (byte[] x, byte[] y) => x.SequenceEqual(y),
        _ => Equals(a, b),
    };

    private static string Show(object? v) => v switch
    {
        null => "null",
        byte[] b => $"byte[{b.Length}]",
        IFormattable f => $"{f.ToString(null, CultureInfo.InvariantCulture)} ({f.GetType().Name})",
        _ => $"{v} ({v.GetType().Name})",
    };
}
