using Mig.Migration;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests;

/// <summary>
/// [MigrateFrom] in the DSL: the attribute reaches the model and its JSON, leaves the schema hash alone
/// (it says how to migrate, not what the file holds), and what cannot apply is a build error at the property.
/// </summary>
[TestClass]
public sealed class MigrateFromTests
{
    private const string Person = """
        [PK(nameof(Id))]
        public sealed record Person(long Id, string FirstName, [MigrateFrom("first_name || ' ' || last_name")] string Name);
        """;

    [TestMethod]
    public void TheExpressionReachesTheModelAndItsJsonButNotTheHash()
    {
        var model = SchemaFixture.Model(Person);
        var column = model.Table("person").FindColumn("name")!;
        Assert.AreEqual("first_name || ' ' || last_name", column.MigrateFrom);
        Assert.IsNull(model.Table("person").FindColumn("first_name")!.MigrateFrom);

        var json = SchemaModelJson.Serialize(model);
        StringAssert.Contains(json, "\"MigrateFrom\": \"first_name || \\u0027 \\u0027 || last_name\"");
        Assert.AreEqual("first_name || ' ' || last_name", SchemaModelJson.Deserialize(json).Table("person").FindColumn("name")!.MigrateFrom);

        var plain = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Person(long Id, string FirstName, string Name);
            """);
        Assert.AreEqual(SchemaHash.Compute(plain), SchemaHash.Compute(model), "removing the attribute after the migration keeps the file name");
        Assert.AreEqual(SchemaHash.Compute(model), SchemaHash.Compute(SchemaModelJson.Deserialize(json)));
        Assert.DoesNotContain("first_name ||", SchemaVerbs.Script(model), "the expression is no DDL");
    }

    [TestMethod]
    public void OnAPropertyDeclarationItWorksToo()
    {
        var model = SchemaFixture.Model("""
            [PK(nameof(Id))]
            public sealed record Person(long Id)
            {
                [MigrateFrom("upper(code)")] public string? Code2 { get; init; }
            }
            """);
        Assert.AreEqual("upper(code)", model.Table("person").FindColumn("code2")!.MigrateFrom);
    }

    [TestMethod]
    [DataRow("\"\"", "has no expression")]
    [DataRow("\"  \"", "has no expression")]
    public void AnEmptyExpressionIsMig0028AtTheProperty(string literal, string expected)
    {
        var source = $$"""
            [PK(nameof(Id))]
            public sealed record Person(long Id,
                [MigrateFrom({{literal}})] string Name);
            """;
        var error = SchemaFixture.Error(source);
        Assert.AreEqual(MigCode.InvalidMigrateFrom, error.Code);
        StringAssert.Contains(error.Message, expected);
        Assert.AreEqual(SchemaFixture.LineOf(source, "[MigrateFrom"), error.Line, "the error is at the attribute's property");
    }

    [TestMethod]
    public void BesideRenamedFromItIsMig0028()
    {
        var error = SchemaFixture.Error("""
            [PK(nameof(Id))]
            public sealed record Person(long Id, [RenamedFrom("full_name"), MigrateFrom("first_name || last_name")] string Name);
            """);
        Assert.AreEqual(MigCode.InvalidMigrateFrom, error.Code);
        StringAssert.Contains(error.Message, "[RenamedFrom(\"full_name\")]");
    }

    [TestMethod]
    [DataRow("first_name ||", "syntax error")]
    [DataRow("no_such_function(first_name)", "no such function: no_such_function")]
    [DataRow("random()", "non-deterministic")]
    [DataRow("datetime('now')", "non-deterministic")]
    [DataRow("(SELECT max(id) FROM person)", "subqueries prohibited")]
    [DataRow("count(*)", "aggregate")]
    [DataRow("person.first_name", "person.first_name is not a column of the old row")]
    [DataRow("first_name) FROM person; DROP TABLE person; SELECT (1", "syntax error")]
    [DataRow("first_name -- comment", "incomplete input")]
    public void AnExpressionSqliteRejectsIsMig0029AtTheProperty(string expression, string expected)
    {
        var source = $$"""
            [PK(nameof(Id))]
            public sealed record Person(long Id,
                [MigrateFrom("{{expression.Replace("\"", "\\\"", StringComparison.Ordinal)}}")] string Name);
            """;
        var error = SchemaFixture.Error(source);
        Assert.AreEqual(MigCode.MigrateFromRejected, error.Code, error.Message);
        StringAssert.Contains(error.Message, expected);
        StringAssert.Contains(error.Message, "person.name");
        Assert.AreEqual(SchemaFixture.LineOf(source, "[MigrateFrom"), error.Line);
    }

    [TestMethod]
    [DataRow("first_name || ' ' || last_name")]
    [DataRow("\"first name\" || \"select\" || [a.b] || `quo\"\"te`")]
    [DataRow("CASE WHEN age >= 18 THEN 'adult' ELSE 'minor' END")]
    [DataRow("coalesce(nick, substr(first_name, 1, 1) || '.')")]
    [DataRow("datetime(created_at, '+1 day')")]
    [DataRow("rowid * 10")]
    [DataRow("json_extract(data, '$.name')")]
    public void DeterministicExpressionsOverAnyColumnNamesBuild(string expression)
    {
        var model = SchemaFixture.Model($$"""
            [PK(nameof(Id))]
            public sealed record Person(long Id, [MigrateFrom("{{expression.Replace("\"", "\\\"", StringComparison.Ordinal)}}")] string? Name);
            """);
        Assert.AreEqual(expression, model.Table("person").FindColumn("name")!.MigrateFrom);
    }
}
