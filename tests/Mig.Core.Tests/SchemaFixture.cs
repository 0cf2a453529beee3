using Mig.Schema;
using Mig.Tasks.Schema;

[assembly: Parallelize(Scope = ExecutionScope.MethodLevel)]

namespace Mig.Core.Tests;

/// <summary>
/// Compiles schema source the way the build does (Roslyn, collectible load,
/// reflection, SQL check), against the BCL and Mig.Core only.
/// </summary>
internal static class SchemaFixture
{
    /// <summary>The path every test source is compiled under, so diagnostics can be located.</summary>
    public const string SourcePath = "Schema/Test.cs";

    // Only the runtime's own assemblies: the test host's TPA also lists MSTest and
    // Roslyn, which schema files must not see.
    private static readonly Lazy<IReadOnlyList<string>> References = new(() =>
    {
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return [.. tpa.Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDir, StringComparison.Ordinal))
                      .Append(typeof(PKAttribute).Assembly.Location)
                      .Distinct(StringComparer.Ordinal)];
    });

    private static readonly string[] Usings = ["System", "System.Collections.Generic", "Mig"];

    /// <summary>Compiles one schema file in namespace-less or namespaced form, whatever the source says.</summary>
    public static SchemaCompileResult Compile(string source) =>
        SchemaCompiler.Compile(new SchemaCompileRequest([(SourcePath, source)], References.Value, Usings, "TestSchema"));

    /// <summary>The model of a schema that must compile; the diagnostics are the failure message otherwise.</summary>
    public static SchemaModel Model(string source)
    {
        var result = Compile(source);
        Assert.IsTrue(result.Succeeded, "The schema should compile:\n" + string.Join("\n", result.Diagnostics.Select(d => d.Format("test"))));
        return result.Model!;
    }

    /// <summary>The single diagnostic of a schema that must fail.</summary>
    public static MigDiagnostic Error(string source)
    {
        var result = Compile(source);
        Assert.IsFalse(result.Succeeded, "The schema should not compile.");
        Assert.IsNotEmpty(result.Diagnostics);
        return result.Diagnostics[0];
    }

    /// <summary>1-based line of the first line of <paramref name="source"/> that contains <paramref name="marker"/>.</summary>
    public static int LineOf(string source, string marker)
    {
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].Contains(marker, StringComparison.Ordinal)) return i + 1;
        throw new ArgumentException($"'{marker}' is not in the source.", nameof(marker));
    }

    /// <summary>The table with this SQL name, which must exist.</summary>
    public static TableModel Table(this SchemaModel model, string name) =>
        model.FindTable(name) ?? throw new AssertFailedException($"No table {name}; tables: {string.Join(", ", model.Tables.Select(t => t.Name))}");

    /// <summary>The lines of a CREATE TABLE between its parentheses, trimmed and without trailing commas.</summary>
    public static IReadOnlyList<string> DefinitionLines(string createTable) =>
        [.. createTable.Split('\n').Skip(1).SkipLast(1).Select(l => l.Trim().TrimEnd(','))];
}
