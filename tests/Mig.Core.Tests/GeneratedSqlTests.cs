using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.Data.Sqlite;
using Mig.CodeGen;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests;

/// <summary>
/// The SQL the query emitter writes, read back out of the generated C# the way the
/// compiler will see it (the constants and the parameter names each command adds),
/// and run against a real SQLite file of the schema. Nothing is compiled: what is
/// checked is that every statement works for any column name, not the C# around it.
/// </summary>
[TestClass]
public sealed class GeneratedSqlTests
{
    /// <summary>Column and table names a sanitiser or a naive '@' + name would break.</summary>
    internal const string HostileSchema = """
        namespace Hostile;

        [AutoIncPK(nameof(Id))]
        [Table("order")]
        [Unique(nameof(Email))]
        [SelectAll(OrderBy = "Email DESC, Dash")]
        [SelectBy(nameof(Email), nameof(Space))]
        [SelectBy(nameof(Unicode), OrderBy = "Keyword DESC")]
        [SelectOneBy(nameof(Email))]
        [SelectLike(nameof(Email))]
        [SelectLike(nameof(Apostrophe))]
        [SelectByOrInsert(nameof(Email))]
        [UpdateBy(nameof(Email))]
        [DeleteBy(nameof(Dash), nameof(Space))]
        [DeleteBy(nameof(@default))]
        [InsertOrIgnore]
        [Upsert]
        [CountBy(nameof(Email), nameof(Space)), CountBy(nameof(LooksLikeAParameter))]
        [SelectPage(nameof(Email)), SelectPage(nameof(Id), OrderBy = "Id DESC")]
        [SelectRange(nameof(Keyword)), SelectRange(nameof(Unicode), OrderBy = "Keyword DESC, Dash")]
        [SelectIn(nameof(Apostrophe)), SelectIn(nameof(Id)), SelectIn(nameof(Punct), OrderBy = "Email")]
        public sealed record Contact(
            long Id,
            [Column("e-mail")] string Email,
            [Column("a-b")] string Dash,
            [Column("a b")] string Space,
            [Column("a\"b")] string Quote,
            [Column("$x:y@z")] string? Punct,
            [Column("select")] long Keyword,
            [Column("名前")] string Unicode,
            [Column("@p0")] string? LooksLikeAParameter,
            [Column("it's")] string Apostrophe,
            string @default,
            [Column("text\n2")] string? NewLine);

        [PK(nameof(Contact), nameof(Line))]
        [Table("a-b c")]
        [SelectBy(nameof(Contact), OrderBy = "Line DESC")]
        [UpdateBy(nameof(Contact), nameof(Line))]
        [DeleteBy(nameof(Contact))]
        [Upsert]
        [CountBy(nameof(Contact)), SelectIn(nameof(Contact)), SelectRange(nameof(Line))]
        public sealed record Note([Column("who?")] Contact Contact, [Column("line#")] long Line, string? Text);

        // A nullable reference under a hostile name: a LEFT JOIN and an IS filter.
        [AutoIncPK(nameof(Id))]
        [SelectBy(nameof(Backup)), SelectAll, UpdateBy(nameof(Id)), DeleteBy(nameof(Backup))]
        [CountBy(nameof(Backup)), SelectIn(nameof(Backup))]
        public sealed record Follow(long Id, [Column("by-whom")] Contact? Backup);

        // A table of nothing but its key: its insert has no value to bind.
        [AutoIncPK(nameof(Id))]
        [SelectAll, InsertOrIgnore]
        public sealed record Ticket(long Id);

        [View]
        [Join(typeof(Note), typeof(Contact))]
        [SelectAll(OrderBy = "Mail DESC")]
        [SelectBy(nameof(Mail)), SelectOneBy(nameof(Line)), SelectLike(nameof(Mail))]
        [CountBy(nameof(Mail)), SelectRange(nameof(Line)), SelectIn(nameof(Mail))]
        public sealed record NoteView([Column("order_e-mail")] string Mail, [Column("a-b c_line#")] long Line);
        """;

    /// <summary>A statement as the generated code uses it: its constant, SQL, and the parameters its command adds.</summary>
    private sealed record Statement(string Constant, string Sql, IReadOnlyList<(string Name, SqliteType Type)> Parameters);

    /// <summary>Every SQL constant of the generated file with the parameters of the command that runs it.</summary>
    private static IReadOnlyList<Statement> StatementsOf(string code)
    {
        var root = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Preview)).GetRoot();
        var errors = root.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.IsEmpty(errors, "The generated code must parse: " + string.Join("; ", errors.Select(e => e.ToString())));
        var constants = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var cls in root.DescendantNodes().OfType<ClassDeclarationSyntax>().Where(c => c.Identifier.ValueText.EndsWith("Queries", StringComparison.Ordinal)))
        {
            foreach (var field in cls.Members.OfType<FieldDeclarationSyntax>().Where(f => f.Modifiers.Any(SyntaxKind.ConstKeyword)))
            {
                foreach (var v in field.Declaration.Variables)
                    constants[cls.Identifier.ValueText + "." + v.Identifier.ValueText] = ((LiteralExpressionSyntax)v.Initializer!.Value).Token.ValueText;
            }
        }
        var parameters = new Dictionary<string, IReadOnlyList<(string, SqliteType)>>(StringComparer.Ordinal);
        foreach (var call in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (call.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Command" }) continue;
            var args = call.ArgumentList.Arguments;
            var constant = args[0].Expression.ToString();
            var added = args.Count < 2 ? [] : args[1].Expression.DescendantNodes().OfType<InvocationExpressionSyntax>()
                .Where(i => i.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Add" })
                .Select(i => (((LiteralExpressionSyntax)i.ArgumentList.Arguments[0].Expression).Token.ValueText,
                    Enum.Parse<SqliteType>(((MemberAccessExpressionSyntax)i.ArgumentList.Arguments[1].Expression).Name.Identifier.ValueText)))
                .ToList();
            parameters[constant] = added;
        }
        return [.. constants.Where(c => c.Key.EndsWith("Sql", StringComparison.Ordinal))
            .Select(c => new Statement(c.Key, c.Value, parameters.TryGetValue(c.Key, out var p) ? p
                : throw new AssertFailedException($"{c.Key} is declared but no command runs it")))];
    }

    private static object SampleValue(SqliteType type) => type switch
    {
        SqliteType.Integer => 1L,
        SqliteType.Real => 1.5,
        SqliteType.Blob => new byte[] { 1 },
        _ => "x",
    };

    /// <summary>The parameter names SQLite finds in a statement, in its order.</summary>
    private static IReadOnlyList<string> SqliteParameters(SqliteConnection connection, string sql)
    {
        var rc = SQLitePCL.raw.sqlite3_prepare_v2(connection.Handle, sql, out var stmt, out _);
        using (stmt)
        {
            if (rc != SQLitePCL.raw.SQLITE_OK) throw new AssertFailedException($"SQLite cannot prepare {sql}: {SQLitePCL.raw.sqlite3_errmsg(connection.Handle).utf8_to_string()}");
            return [.. Enumerable.Range(1, SQLitePCL.raw.sqlite3_bind_parameter_count(stmt))
                .Select(i => SQLitePCL.raw.sqlite3_bind_parameter_name(stmt, i).utf8_to_string())];
        }
    }

    [TestMethod]
    public void EveryGeneratedStatementRunsAgainstTheSchemaWhateverTheColumnNames()
    {
        using var db = TestDatabase.Create(HostileSchema, out var model);
        // Sample values reference no parent row; what is checked here is that each statement runs.
        db.Execute("PRAGMA foreign_keys = OFF");
        var statements = StatementsOf(QueryEmitter.Emit(model, SchemaHash.Compute(model), "hostile"));
        Assert.IsGreaterThan(20, statements.Count, string.Join(", ", statements.Select(s => s.Constant)));
        var failures = new List<string>();
        foreach (var s in statements)
        {
            using var txn = db.Connection.BeginTransaction();
            try
            {
                CollectionAssert.AreEquivalent(s.Parameters.Select(p => p.Name).ToArray(), SqliteParameters(db.Connection, s.Sql).ToArray(),
                    $"{s.Constant} must bind exactly the parameters SQLite finds in it");
                using var cmd = db.Connection.CreateCommand();
                cmd.Transaction = txn;
                cmd.CommandText = s.Sql;
                foreach (var (name, type) in s.Parameters)
                    cmd.Parameters.Add(name, type).Value = s.Sql.Contains($"json_each({name})", StringComparison.Ordinal) ? "[\"x\", 1]" : SampleValue(type);
                using var reader = cmd.ExecuteReader();
                while (reader.Read()) { }
            }
            catch (Exception e) when (e is SqliteException or AssertFailedException)
            {
                failures.Add($"{s.Constant}: {e.Message}\n    {s.Sql}");
            }
            txn.Rollback();
        }
        Assert.IsEmpty(failures, string.Join("\n", failures));
    }

    [TestMethod]
    public void NoTwoColumnsShareAParameterEvenWhenASanitiserWouldMakeThemEqual()
    {
        var model = SchemaFixture.Model(HostileSchema);
        var statements = StatementsOf(QueryEmitter.Emit(model, SchemaHash.Compute(model), "hostile"));
        var insert = statements.Single(s => s.Constant == "ContactQueries.InsertSql");
        // Every column but the key gets its own value; a-b, a b and $x:y@z must not collapse.
        Assert.HasCount(model.Table("order").Columns.Count - 1, insert.Parameters);
        Assert.HasCount(insert.Parameters.Count, insert.Parameters.Select(p => p.Name).Distinct().ToList());
    }

    private const string LikeSchema = """
        [AutoIncPK(nameof(Id))]
        [SelectLike(nameof(Text))]
        public sealed record Phrase(long Id, string Text);
        """;

    [TestMethod]
    [DataRow("50%", new[] { "50%", "save 50% now" })]
    [DataRow("a_b", new[] { "a_b" })]
    [DataRow("_", new[] { "a_b" })]
    [DataRow("\\", new[] { "back\\slash", "odd\\%" })]
    [DataRow("\\%", new[] { "odd\\%" })]
    [DataRow("SAVE", new[] { "save 50% now" })]
    [DataRow("", new[] { "50%", "500", "save 50% now", "a_b", "axb", "back\\slash", "backslash", "odd\\%" })]
    public void SelectLikeMatchesPercentUnderscoreAndBackslashLiterally(string search, string[] expected)
    {
        using var db = TestDatabase.Create(LikeSchema, out var model);
        foreach (var text in new[] { "50%", "500", "save 50% now", "a_b", "axb", "back\\slash", "backslash", "odd\\%" })
            db.Execute("INSERT INTO phrase(text) VALUES (@t)", ("@t", text));
        var like = StatementsOf(QueryEmitter.Emit(model, SchemaHash.Compute(model), "like")).Single(s => s.Constant == "PhraseQueries.SelectTextLikeSql");
        var found = db.Rows(like.Sql, (like.Parameters.Single().Name, search)).Select(r => (string)r[1]!).ToArray();
        CollectionAssert.AreEquivalent(expected, found, $"searching '{search}' with {like.Sql}");
    }
}
