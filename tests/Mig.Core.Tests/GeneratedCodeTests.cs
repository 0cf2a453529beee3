using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Mig.CodeGen;
using Mig.Sql;

namespace Mig.Core.Tests;

/// <summary>
/// The generated C# compiled the way a consumer compiles it (nullable on, every warning an
/// error), for schemas that reach the emitter's less common shapes: hostile names, a table
/// that only writes, a query over more arguments than a <c>System.Func</c> takes, a record
/// with properties outside its constructor.
/// </summary>
[TestClass]
public sealed class GeneratedCodeTests
{
    private const string ShapesSchema = """
        namespace Shapes;

        // Only writes: its class needs no Read.
        [PK(nameof(Id))]
        [Upsert, UpdateBy(nameof(Id)), DeleteBy(nameof(Id))]
        public sealed record Counter(long Id, long Value);

        // Sixteen arguments: one more than System.Func takes with the transaction.
        [PK(nameof(Id))]
        [SelectBy(nameof(A1), nameof(A2), nameof(A3), nameof(A4), nameof(A5), nameof(A6), nameof(A7), nameof(A8),
            nameof(A9), nameof(A10), nameof(A11), nameof(A12), nameof(A13), nameof(A14), nameof(A15), nameof(A16))]
        [DeleteBy(nameof(A1), nameof(A2), nameof(A3), nameof(A4), nameof(A5), nameof(A6), nameof(A7), nameof(A8),
            nameof(A9), nameof(A10), nameof(A11), nameof(A12), nameof(A13), nameof(A14), nameof(A15), nameof(A16))]
        public sealed record Wide(long Id, long A1, long A2, long A3, long A4, long A5, long A6, long A7, long A8,
            long A9, long A10, long A11, long A12, long A13, long A14, long A15, long A16);

        // Properties outside the constructor, long enough to be read one per line.
        [PK(nameof(Id))]
        [SelectAll]
        public sealed record Mixed(long Id, string FirstRatherLongPropertyName)
        {
            public string SecondRatherLongPropertyName { get; init; } = "";
            public DateTimeOffset? ThirdRatherLongPropertyName { get; init; }
        }
        """;

    private const string EnumNamesSchema = """
        namespace Shop;

        [StoreAsText]
        public enum Status { Open, Shipped, Cancelled, @event, Default = Open }

        public static class Kinds
        {
            public enum Inner : ulong { A = 1, B = ulong.MaxValue }
        }

        [AutoIncPK(nameof(Id))]
        [SelectBy(nameof(Status)), SelectIn(nameof(Status)), SelectBy(nameof(Kind)), UpdateBy(nameof(Id)), SelectAll]
        public sealed record Order(long Id, Status Status, Status? Previous, [property: StoreAsText] Kinds.Inner? Kind);

        [ViewSql("SELECT status, previous FROM \"order\"")]
        [SelectBy(nameof(Status))]
        public sealed record OrderStatus(Status Status, Status? Previous);
        """;

    [TestMethod]
    public void EnumsStoredByNameCompileWithoutWarningsThroughSwitches()
    {
        var code = AssertCompiles(EnumNamesSchema);
        var names = code[code.IndexOf("file static class EnumNames", StringComparison.Ordinal)..];
        StringAssert.Contains(names, "global::Shop.Status.Open => \"Open\",");
        Assert.DoesNotContain("=> \"Default\"", names, "an alias is read, never written: one name per value");
        StringAssert.Contains(names, "\"Default\" => global::Shop.Status.Default,");
        StringAssert.Contains(names, "global::Shop.Status.@event => \"event\",");
        StringAssert.Contains(names, "global::Shop.Kinds.Inner.B => \"B\",");
        Assert.DoesNotContain("ToString()", names, "no reflection");
        StringAssert.Contains(ClassText(code, "OrderQueries"), "global::Mig.Generated.EnumNames.Name(status)", "a query binds the name");
    }

    [TestMethod]
    public void HostileNamesCompileWithoutWarnings() => AssertCompiles(GeneratedSqlTests.HostileSchema);

    [TestMethod]
    public void UncommonShapesCompileWithoutWarnings()
    {
        var code = AssertCompiles(ShapesSchema);
        var counter = ClassText(code, "CounterQueries");
        Assert.DoesNotContain(" Read(", counter, "a class whose methods never read rows declares no Read");
        StringAssert.Contains(ClassText(code, "MixedQueries"), "SecondRatherLongPropertyName = ");
    }

    [TestMethod]
    public void NoLineOfConstructionsIsLong()
    {
        var model = SchemaFixture.Model(GeneratedSqlTests.HostileSchema);
        var code = QueryEmitter.Emit(model, SchemaHash.Compute(model), "hostile");
        // Signatures and SQL constants are long by nature; record construction is what must wrap.
        var longConstructions = code.Split('\n').Where(l => l.Contains("new global::", StringComparison.Ordinal) && l.Length > 140).ToList();
        Assert.IsEmpty(longConstructions, string.Join("\n", longConstructions));
    }

    private static string ClassText(string code, string name)
    {
        var start = code.IndexOf("public static class " + name, StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, start, name);
        var end = code.IndexOf("public static class ", start + 1, StringComparison.Ordinal);
        return end < 0 ? code[start..] : code[start..end];
    }

    /// <summary>Compiles the schema and its generated code into one assembly; returns the code.</summary>
    private static string AssertCompiles(string schema)
    {
        var model = SchemaFixture.Model(schema);
        var code = QueryEmitter.Emit(model, SchemaHash.Compute(model), "test");
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = Directory.GetFiles(runtimeDir, "*.dll")
            .Where(p => !Path.GetFileName(p).StartsWith("Microsoft.VisualBasic", StringComparison.Ordinal))
            .Append(typeof(MigValue).Assembly.Location)
            .Append(typeof(Microsoft.Data.Sqlite.SqliteConnection).Assembly.Location)
            .Append(typeof(SQLitePCL.raw).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Consumer",
            [
                CSharpSyntaxTree.ParseText("global using System; global using System.Collections.Generic; global using Mig;", parse),
                CSharpSyntaxTree.ParseText(schema, parse, "Schema.cs"),
                CSharpSyntaxTree.ParseText(code, parse, "Mig.g.cs"),
            ],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error,
                // Assembly version unification notes, which the .NET SDK silences in every project too.
                specificDiagnosticOptions: [new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));
        var problems = compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.IsEmpty(problems, string.Join("\n", problems.Select(d => $"{d} | {Line(code, d)}")));
        return code;
    }

    private static string Line(string code, Diagnostic d) =>
        d.Location.SourceTree?.FilePath == "Mig.g.cs" ? code.Split('\n')[d.Location.GetLineSpan().StartLinePosition.Line].Trim() : "";
}
