using Mig.CodeGen;
using Mig.Schema;
using Mig.Sql;
using Mig.Tasks.Schema;

namespace Mig.Core.Tests;

/// <summary>
/// The build's check of generated SQL: every statement the emitter writes is prepared
/// against the schema in memory, and one SQLite refuses is MIG0022 at the schema line
/// of the attribute that produced it, naming the statement and SQLite's message.
/// </summary>
[TestClass]
public sealed class GeneratedSqlCheckTests
{
    private const string Students = """
        [AutoIncPK(nameof(Id))]
        [SelectAll]
        public sealed record Student(long Id, string Name);
        """;

    private static IReadOnlyList<SchemaError> Check(SchemaModel model, params GeneratedStatement[] statements) =>
        GeneratedSqlCheck.Check(Ddl.Statements(model), statements);

    private static GeneratedStatement Crafted(string sql, params string[] parameters) =>
        new("Student", "SelectAllAsync", "StudentQueries.SelectAllSql", sql, parameters, new QueryModel(QueryKind.SelectAll, [], []));

    [TestMethod]
    public void EveryStatementOfAHostileSchemaPrepares()
    {
        var model = SchemaFixture.Model(GeneratedSqlTests.HostileSchema);
        var generated = QueryEmitter.Generate(model, SchemaHash.Compute(model), "hostile");
        Assert.IsGreaterThan(20, generated.Statements.Count);
        var errors = GeneratedSqlCheck.Check(Ddl.Statements(model), generated.Statements);
        Assert.IsEmpty(errors, string.Join("\n", errors.Select(e => e.Message)));
    }

    [TestMethod]
    public void TheStatementsAreTheOnesInTheGeneratedCode()
    {
        var model = SchemaFixture.Model(GeneratedSqlTests.HostileSchema);
        var generated = QueryEmitter.Generate(model, SchemaHash.Compute(model), "hostile");
        foreach (var s in generated.Statements)
            StringAssert.Contains(generated.Code, $"public const string {s.Constant[(s.Constant.IndexOf('.') + 1)..]} = {QueryEmitter.Literal(s.Sql)};");
        Assert.HasCount(generated.Statements.Count, generated.Statements.Select(s => s.Constant).Distinct().ToList());
    }

    [TestMethod]
    public void AStatementSQLiteCannotPrepareIsMig0022WithItsMessageAndTheStatement()
    {
        var errors = Check(SchemaFixture.Model(Students), Crafted("SELECT nope FROM student"));
        var e = errors.Single();
        Assert.AreEqual(MigCode.GeneratedSqlRejected, e.Code);
        Assert.AreEqual("MIG0022", e.Code);
        StringAssert.Contains(e.Message, "no such column: nope");
        StringAssert.Contains(e.Message, "StudentQueries.SelectAllSql");
        StringAssert.Contains(e.Message, "SelectAllAsync");
        StringAssert.Contains(e.Message, "SELECT nope FROM student");
        Assert.AreEqual("Student", e.Type);
        Assert.AreEqual("SelectAll", e.Attribute);
    }

    [TestMethod]
    public void AQuotedNameThatMatchesNoColumnIsAnErrorNotAStringLiteral()
    {
        var e = Check(SchemaFixture.Model(Students), Crafted("SELECT \"nope\" FROM student")).Single();
        StringAssert.Contains(e.Message, "no such column");
    }

    [TestMethod]
    public void AParameterTheCommandDoesNotBindIsAnError()
    {
        var model = SchemaFixture.Model(Students);
        StringAssert.Contains(Check(model, Crafted("SELECT id FROM student WHERE id = @p0 OR name = @p1", "@p0")).Single().Message, "@p1");
        StringAssert.Contains(Check(model, Crafted("SELECT id FROM student WHERE id = @p0", "@p0", "@p1")).Single().Message, "@p1");
        Assert.IsEmpty(Check(model, Crafted("SELECT id FROM student WHERE id = @p0 OR name = @p1", "@p0", "@p1")));
    }

    [TestMethod]
    public void TwoStatementsInOneAreAnError() =>
        StringAssert.Contains(Check(SchemaFixture.Model(Students), Crafted("SELECT id FROM student; DELETE FROM student")).Single().Message, "more than one statement");

    [TestMethod]
    public void AViewSelectOnAColumnTheViewSqlNamesOnlyInAnotherCaseIsMig0022AtTheAttribute()
    {
        // SQLite folds only ASCII case, so the view's "NAMÉ" is not the record's "namé".
        // The [ViewSql] column check compares like C# and lets it pass; the generated
        // select would fail on every call. The check finds it at the [SelectBy] line.
        const string source = """
            [AutoIncPK(nameof(Id))]
            public sealed record Person(long Id, string Name);

            [ViewSql("SELECT name AS \"NAMÉ\" FROM person")]
            [SelectBy(nameof(Namé))]
            public sealed record PersonName(string Namé);
            """;
        var model = SchemaFixture.Model(source);
        var errors = GeneratedSqlCheck.Check(Ddl.Statements(model), QueryEmitter.Generate(model, SchemaHash.Compute(model), "x").Statements);

        var d = SourceMap.Parse([(SchemaFixture.SourcePath, source)]).Locate(errors.Single());
        Assert.AreEqual("MIG0022", d.Code, d.Message);
        Assert.AreEqual(SchemaFixture.SourcePath, d.File);
        Assert.AreEqual(SchemaFixture.LineOf(source, "[SelectBy("), d.Line, d.Format("test"));
        StringAssert.Contains(d.Message, "SelectByNaméAsync");
        StringAssert.Contains(d.Message, "no such column: \"namé\"");
    }

    [TestMethod]
    public void AnInsertThatDoesNotPrepareIsPlacedAtItsRecord()
    {
        const string source = """
            [AutoIncPK(nameof(Id))]
            public sealed record Student(long Id, string Name);
            """;
        var model = SchemaFixture.Model(source);
        var insert = new GeneratedStatement("Student", "InsertAsync", "StudentQueries.InsertSql", "INSERT INTO student(nope) VALUES (@p0)", ["@p0"], null);
        var d = SourceMap.Parse([(SchemaFixture.SourcePath, source)]).Locate(Check(model, insert).Single());
        Assert.AreEqual(SchemaFixture.LineOf(source, "record Student"), d.Line, d.Format("test"));
    }
}
