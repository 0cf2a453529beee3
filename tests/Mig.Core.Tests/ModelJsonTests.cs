using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests;

[TestClass]
public sealed class ModelJsonTests
{
    private const string Source = """
        public enum Level { Low, High }
        [AutoIncPK(nameof(Id))]
        [Unique(nameof(Name))]
        [Index(nameof(Name), nameof(Ratio))]
        [Default(nameof(Count), "0")]
        [RenamedFrom("things")]
        [SelectBy(nameof(Name), OrderBy = "Ratio DESC")]
        public sealed record Thing(long Id, string Name, double Ratio, long Count, byte[]? Data, string? Note, Level Level, decimal Price)
        {
            public string Extra { get; set; } = "";
        }
        [PK(nameof(Thing), nameof(Tag))]
        [OnDeleteCascade(nameof(Thing))]
        public sealed record Tagging(Thing Thing, string Tag);
        [View, Join(typeof(Tagging), typeof(Thing))]
        public sealed record TaggedThing(string ThingName, string Tag);
        public static class Seeds
        {
            public static readonly Thing[] Things =
            [
                new(1, "one", 2.0, 1, [0, 255], null, Level.High, 1.10m),
                new(long.MaxValue, "1", 0.1, -1, null, "1.0", Level.Low, 0m),
                new(3, "inf", double.PositiveInfinity, 3, [], "", Level.Low, -2.5m),
            ];
            public static Tagging T => new(Things[0], "x");
        }
        """;

    [TestMethod]
    public void SeedValuesKeepTheirStorageClass()
    {
        var model = SchemaFixture.Model(Source);
        var back = SchemaModelJson.Deserialize(SchemaModelJson.Serialize(model));
        var rows = back.Seeds.Single(s => s.Table == "thing").Rows;

        object?[] first = [.. rows[0]];
        Assert.IsInstanceOfType<long>(first[0]);
        Assert.AreEqual(1L, first[0]);
        Assert.IsInstanceOfType<double>(first[2], "2.0 must stay a REAL although JSON would print it as 2");
        Assert.AreEqual(2.0, first[2]);
        Assert.IsInstanceOfType<long>(first[3]);
        CollectionAssert.AreEqual(new byte[] { 0, 255 }, (byte[])first[4]!);
        Assert.IsNull(first[5]);
        Assert.AreEqual(1L, first[6]);
        Assert.AreEqual("1.10", first[7]);

        object?[] second = [.. rows[1]];
        Assert.AreEqual(long.MaxValue, second[0]);
        Assert.IsInstanceOfType<string>(second[1], "a numeric-looking string stays TEXT");
        Assert.AreEqual("1", second[1]);
        Assert.AreEqual(0.1, second[2]);
        Assert.AreEqual(-1L, second[3]);
        Assert.IsNull(second[4]);
        Assert.AreEqual("1.0", second[5]);

        object?[] third = [.. rows[2]];
        Assert.AreEqual(double.PositiveInfinity, third[2]);
        Assert.IsInstanceOfType<byte[]>(third[4]);
        Assert.IsEmpty((byte[])third[4]!);
        Assert.AreEqual("", third[5]);

        for (var r = 0; r < rows.Count; r++)
            for (var c = 0; c < rows[r].Count; c++)
                Assert.AreEqual(model.Seeds[0].Rows[r][c]?.GetType(), rows[r][c]?.GetType(), $"row {r} column {c}");
    }

    [TestMethod]
    public void TheWholeModelRoundTrips()
    {
        var model = SchemaFixture.Model(Source);
        var json = SchemaModelJson.Serialize(model);
        var back = SchemaModelJson.Deserialize(json);

        Assert.AreEqual(json, SchemaModelJson.Serialize(back));
        Assert.AreEqual(Ddl.Script(model), Ddl.Script(back));
        Assert.AreEqual(SchemaHash.Compute(model), SchemaHash.Compute(back));
        var thing = back.Table("thing");
        Assert.AreEqual("things", thing.RenamedFrom);
        Assert.IsTrue(thing.AutoIncrement);
        Assert.AreEqual(ValueKind.Enum, thing.FindColumn("level")!.Kind);
        Assert.AreEqual("0", thing.FindColumn("count")!.Default);
        CollectionAssert.AreEqual(new[] { "Id", "Name", "Ratio", "Count", "Data", "Note", "Level", "Price" }, thing.ConstructorProperties.ToArray());
        Assert.AreEqual("extra", thing.Columns[^1].Name);
        var query = thing.Queries.Single();
        Assert.AreEqual(QueryKind.SelectBy, query.Kind);
        Assert.AreEqual(new OrderTerm("Ratio", Descending: true), query.OrderBy.Single());
        Assert.AreEqual(OnDelete.Cascade, back.Table("tagging").ForeignKeys.Single().OnDelete);
        Assert.AreEqual(model.Views.Single().Sql, back.Views.Single().Sql);
        Assert.AreEqual("thing", back.Views.Single().Columns[0].SourceTable);
    }

    [TestMethod]
    public void ADatabaseMadeFromTheDeserialisedModelHoldsTheSameSeeds()
    {
        var model = SchemaFixture.Model(Source);
        using var db = TestDatabase.Create(SchemaModelJson.Deserialize(SchemaModelJson.Serialize(model)));
        var rows = db.Rows("SELECT typeof(id), typeof(name), typeof(ratio), typeof(data), typeof(note) FROM thing ORDER BY id");
        CollectionAssert.AreEqual(new object[] { "integer", "text", "real", "blob", "null" }, rows[0]);
        CollectionAssert.AreEqual(new object[] { "integer", "text", "real", "null", "text" }, rows[2]);
        Assert.AreEqual(double.PositiveInfinity, db.Scalar("SELECT ratio FROM thing WHERE id = 3"));
    }
}
