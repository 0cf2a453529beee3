using Microsoft.Data.Sqlite;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests;

/// <summary>
/// [StoreAsText] (docs/dsl.md, Enums stored by name): on an enum type and on a property, the TEXT
/// column with its CHECK of the names, what the created file refuses, seeds and defaults as names,
/// and the build errors for what cannot be stored by name.
/// </summary>
[TestClass]
public sealed class EnumTextTests
{
    internal const string Shop = """
        [StoreAsText]
        public enum Status { Open, Shipped, Cancelled }

        public enum Size { Small = 1, Large = 2 }

        [AutoIncPK(nameof(Id))]
        [Default(nameof(Status), "'Open'")]
        [SelectBy(nameof(Status))]
        public sealed record Order(long Id, Status Status, [property: StoreAsText] Size? Size, Size Box);

        public static class Seeds
        {
            public static Order First => new(1, Status.Shipped, Size.Large, Size.Small);
        }
        """;

    [TestMethod]
    public void AnEnumStoredByNameIsTextWithACheckOfItsNames()
    {
        var model = SchemaFixture.Model(Shop);
        var lines = SchemaFixture.DefinitionLines(Ddl.CreateTable(model.Table("order")));
        CollectionAssert.Contains(lines.ToList(), "status TEXT NOT NULL DEFAULT 'Open' CHECK (status IN ('Open', 'Shipped', 'Cancelled'))");
        CollectionAssert.Contains(lines.ToList(), "size TEXT CHECK (size IN ('Small', 'Large'))", "on one property; nullable: NULL passes the CHECK");
        CollectionAssert.Contains(lines.ToList(), "box INTEGER NOT NULL", "the same enum without [StoreAsText] stays an integer");
        Assert.AreEqual(ValueKind.EnumName, model.Table("order").FindColumn("status")!.Kind);
        var roundTrip = SchemaModelJson.Deserialize(SchemaModelJson.Serialize(model));
        Assert.AreEqual(SchemaHash.Compute(model), SchemaHash.Compute(roundTrip));
        CollectionAssert.AreEqual(new[] { "Small:1", "Large:2" }, roundTrip.FindEnum("Size")!.Members.Select(m => $"{m.Name}:{m.Value}").ToArray(), "the model JSON carries the members");
    }

    [TestMethod]
    public void TheCreatedFileHoldsSeedsByNameAndRefusesANameTheEnumLacks()
    {
        using var db = TestDatabase.Create(SchemaFixture.Model(Shop));
        using (var read = db.Connection.CreateCommand())
        {
            read.CommandText = "SELECT status, size, box FROM \"order\" WHERE id = 1";
            using var r = read.ExecuteReader();
            Assert.IsTrue(r.Read(), "the seed row");
            Assert.AreEqual("Shipped", r.GetValue(0));
            Assert.AreEqual("Large", r.GetValue(1));
            Assert.AreEqual(1L, r.GetValue(2));
        }
        void Insert(string sql) { using var cmd = db.Connection.CreateCommand(); cmd.CommandText = sql; cmd.ExecuteNonQuery(); }
        Insert("INSERT INTO \"order\"(size, box) VALUES (NULL, 2)");
        Assert.AreEqual("Open", Scalar(db.Connection, "SELECT status FROM \"order\" WHERE id = 2"), "the [Default] is a name");
        StringAssert.Contains(Assert.ThrowsExactly<SqliteException>(() => Insert("INSERT INTO \"order\"(status, box) VALUES ('Lost', 1)")).Message, "CHECK constraint failed");
        StringAssert.Contains(Assert.ThrowsExactly<SqliteException>(() => Insert("INSERT INTO \"order\"(status, box) VALUES (1, 1)")).Message, "CHECK constraint failed", "the integer form is refused too");
        StringAssert.Contains(Assert.ThrowsExactly<SqliteException>(() => Insert("INSERT INTO \"order\"(status, box) VALUES ('open', 1)")).Message, "CHECK constraint failed", "names are case-sensitive");
    }

    [TestMethod]
    public void AFlagsEnumCannotBeStoredByName()
    {
        var error = SchemaFixture.Error("""
            [Flags, StoreAsText]
            public enum Rights { None = 0, Read = 1, Write = 2 }
            [PK(nameof(Id))]
            public sealed record Grant(long Id, Rights Rights);
            """);
        Assert.AreEqual(MigCode.FlagsStoredAsText, error.Code);
        StringAssert.Contains(error.Message, "a combination of flags has no single name");
    }

    [TestMethod]
    public void StoreAsTextOnAPropertyThatIsNotAnEnumIsAnError()
    {
        var error = SchemaFixture.Error("""
            [PK(nameof(Id))]
            public sealed record Thing(long Id, [property: StoreAsText] long Count);
            """);
        Assert.AreEqual(MigCode.InvalidStoreAsText, error.Code);
        StringAssert.Contains(error.Message, "Thing.Count");
    }

    [TestMethod]
    public void ADefaultThatIsNotOneOfTheNamesIsAnError()
    {
        var error = SchemaFixture.Error("""
            [StoreAsText]
            public enum Status { Open, Shipped }
            [PK(nameof(Id))]
            [Default(nameof(Status), "0")]
            public sealed record Order(long Id, Status Status);
            """);
        Assert.AreEqual(MigCode.InvalidStoreAsText, error.Code);
        StringAssert.Contains(error.Message, "[Default(nameof(Status), \"'Open'\")]");
    }

    [TestMethod]
    public void ARangeOverAnEnumStoredByNameIsRefused()
    {
        var error = SchemaFixture.Error("""
            public enum Status { Open, Shipped }
            [PK(nameof(Id))]
            [SelectRange(nameof(Status))]
            public sealed record Order(long Id, [StoreAsText] Status Status);
            """);
        Assert.AreEqual(MigCode.UnorderedColumn, error.Code);
        StringAssert.Contains(error.Message, "sorts by its names");
    }

    [TestMethod]
    public void AJoinedViewReadsTheEnumInTheFormItsTableStores()
    {
        var model = SchemaFixture.Model("""
            public enum Status { Open, Shipped }
            [AutoIncPK(nameof(Id))]
            public sealed record Customer(long Id, string Name);
            [AutoIncPK(nameof(Id))]
            public sealed record Order(long Id, Customer Customer, [property: StoreAsText] Status Status);
            [View]
            [Join(typeof(Order), typeof(Customer))]
            public sealed record OrderStatus(string CustomerName, Status Status);
            """);
        Assert.AreEqual(ValueKind.EnumName, model.Views.Single().Columns.Single(c => c.Property == "Status").Kind);
    }

    private static object? Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
