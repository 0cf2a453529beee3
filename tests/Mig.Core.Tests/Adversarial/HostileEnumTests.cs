using System.Text;
using Mig.Core.Tests.Migration;
using Mig.Migration;
using Mig.Schema;

namespace Mig.Core.Tests.Adversarial;

/// <summary>
/// Hostile old values (<see cref="HostileValues"/>: extreme integers, REALs, invalid UTF-8, BLOBs, NULL,
/// any storage class in any column) in an enum column that moves between its integer and name forms
/// ([StoreAsText]). Every value that is a member converts to it; every other non-NULL value is a loss the
/// plan counts and lists, refused with nothing changed, and NULL in the new file when accepted.
/// </summary>
[TestClass]
public sealed class HostileEnumTests
{
    private static readonly string[] Names = ["Open", "Shipped", "Cancelled"];

    private const string Enum = "public enum Status { Open, Shipped, Cancelled }";
    private const string Table = "[PK(nameof(Id))] public sealed record Order(long Id, Status? Previous);";

    private static readonly Lazy<SchemaModel> AsInteger = new(() => SchemaFixture.Model(Enum + "\n" + Table));
    private static readonly Lazy<SchemaModel> AsName = new(() => SchemaFixture.Model("[StoreAsText] " + Enum + "\n" + Table));

    // The names as plain text, without the CHECK a name column has: what an older app (or another tool) may have written.
    private static readonly Lazy<SchemaModel> AsText = new(() => SchemaFixture.Model("[PK(nameof(Id))] public sealed record Order(long Id, string? Previous);"));

    [TestMethod]
    public void HostileIntegersBecomeNamesOrReportedLosses()
    {
        for (var seed = 1; seed <= 6; seed++)
            Run(seed, AsInteger.Value, AsName.Value, "INTEGER", (type, value) =>
                type == "integer" && (long)value! is >= 0 and <= 2 ? Names[(long)value!]
                : type == "real" && (double)value! is 0.0 or 1.0 or 2.0 ? Names[(int)(double)value!]
                : null);
    }

    [TestMethod]
    public void HostileTextsBecomeIntegersOrReportedLosses()
    {
        for (var seed = 1; seed <= 6; seed++)
            Run(seed, AsText.Value, AsInteger.Value, "TEXT", (type, value) =>
                type == "text" && Array.IndexOf(Names, Encoding.UTF8.GetString((byte[])value!)) is var i and >= 0
                && Encoding.UTF8.GetBytes(Names[i]).AsSpan().SequenceEqual((byte[])value!) ? (long)i : null);
    }

    /// <param name="member">The new value of an old value (its storage class and value: a long, a double, or a text's bytes), or null when it has no member.</param>
    private static void Run(int seed, SchemaModel from, SchemaModel to, string kind, Func<string, object?, object?> member)
    {
        var rng = new Random(seed);
        var values = new HostileValues(rng, largeBytes: 2_000);
        // A third of the values are members in the old form, so both outcomes occur.
        var rows = Enumerable.Range(1, 40).Select(id => $"INSERT INTO \"order\" VALUES ({id}, {(rng.Next(3) == 0 ? OldMember(kind, rng.Next(3)) : values.Next(kind))})").ToArray();
        using var pair = MigrationPair.Create(from, rows);

        var expected = new List<object?[]>();
        var unknown = 0;
        foreach (var r in pair.Rows(pair.OldPath, "SELECT id, typeof(previous), CASE typeof(previous) WHEN 'text' THEN CAST(previous AS BLOB) ELSE previous END FROM \"order\" ORDER BY id"))
        {
            var type = (string)r[1]!;
            var now = type == "null" ? null : member(type, r[2]);
            if (type != "null" && now is null) unknown++;
            expected.Add([r[0], now]);
        }
        var message = $"seed {seed}";
        var before = MigrationPair.Hash(pair.OldPath);
        var losses = pair.Migrator(to).Plan(online: false).Losses;
        Assert.AreEqual(unknown, losses.Sum(l => l.Rows), message);
        if (unknown > 0)
        {
            Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator(to).Migrate(offline: true, allowDataLoss: false), message);
            Assert.AreEqual(before, MigrationPair.Hash(pair.OldPath), message);
            Assert.IsFalse(File.Exists(pair.NewPath), message);
        }
        pair.Migrator(to).Migrate(offline: true, allowDataLoss: true);
        RowAssert.AreEqual(expected, pair.Rows(pair.NewPath, "SELECT id, previous FROM \"order\" ORDER BY id"), message);
    }

    private static string OldMember(string kind, int i) => kind == "INTEGER" ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"'{Names[i]}'";
}
