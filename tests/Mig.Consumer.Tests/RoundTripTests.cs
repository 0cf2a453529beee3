using System;
using System.Linq;
using System.Threading.Tasks;
using Consumer.Schema;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Consumer.Tests;

/// <summary>Every mapped C# type written and read back through generated code, exactly.</summary>
[TestClass]
public sealed class RoundTripTests
{
    private static Sample Full(long id) => new(
        id, int.MinValue, short.MaxValue, 255, true, Tier.Enterprise, "text ✓ 'quoted'", Math.PI, 1.5f,
        123456789.012345678900m, [0, 1, 2, 255], new DateTime(2026, 11, 26, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234567),
        new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.FromHours(13)).AddTicks(7), new DateOnly(1999, 12, 31),
        new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(1)), TimeSpan.FromDays(-1.5).Add(TimeSpan.FromTicks(3)),
        Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"),
        -7, false, Tier.Free, "", -0.0, 0.10m, [], new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Local),
        DateTimeOffset.MinValue, DateOnly.MinValue, TimeOnly.MinValue, TimeSpan.Zero, Guid.Empty);

    private static Sample Nulls(long id) => Full(id) with
    {
        NI32 = null, NFlag = null, NTier = null, NText = null, NF64 = null, NMoney = null, NBlob = null,
        NWhen = null, NAt = null, NDay = null, NTime = null, NSpan = null, NUid = null,
    };

    private static void AssertSame(Sample expected, Sample actual)
    {
        // byte[] compares by reference in a record's Equals; compare it apart, then the rest.
        CollectionAssert.AreEqual(expected.Blob, actual.Blob);
        if (expected.NBlob is null) Assert.IsNull(actual.NBlob); else CollectionAssert.AreEqual(expected.NBlob, actual.NBlob);
        Assert.AreEqual(expected with { Blob = [], NBlob = null }, actual with { Blob = [], NBlob = null });
        Assert.AreEqual(expected.Money.ToString(System.Globalization.CultureInfo.InvariantCulture), actual.Money.ToString(System.Globalization.CultureInfo.InvariantCulture), "decimal keeps its scale");
        Assert.AreEqual(expected.When.Kind, actual.When.Kind);
        Assert.AreEqual(expected.At.Offset, actual.At.Offset);
    }

    [TestMethod]
    public async Task EveryMappedTypeRoundTripsExactly()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(txn => Sample.UpsertAsync(txn, Full(1)));
        AssertSame(Full(1), (await t.Db.ReadAsync(txn => Sample.SelectOneByIdAsync(txn, 1)))!);
    }

    [TestMethod]
    public async Task EveryNullableTypeRoundTripsNull()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(txn => Sample.UpsertAsync(txn, Nulls(2)));
        AssertSame(Nulls(2), (await t.Db.ReadAsync(txn => Sample.SelectOneByIdAsync(txn, 2)))!);
    }

    [TestMethod]
    public async Task ValuesAreStoredInTheirDocumentedStorageClass()
    {
        using var t = new TestDatabase();
        await t.Db.WriteAsync(txn => Sample.UpsertAsync(txn, Full(3)));
        using var raw = t.OpenRaw();
        using var cmd = raw.CreateCommand();
        cmd.CommandText = "SELECT typeof(flag), flag, typeof(tier), tier, typeof(money), money, typeof(blob), typeof(f32), uid, day FROM sample";
        using var r = cmd.ExecuteReader();
        Assert.IsTrue(r.Read());
        var row = Enumerable.Range(0, r.FieldCount).Select(i => Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        CollectionAssert.AreEqual(new[] { "integer", "1", "integer", "2", "text", "123456789.012345678900", "blob", "real", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "1999-12-31" }, row);
    }
}
