using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Mig.Core.Tests.Architecture;

/// <summary>
/// Finds every reference from one layer's file to a type declared in a layer it may
/// not use (<see cref="LayerRules"/>). It compiles the given sources with Roslyn and
/// resolves each name to its symbol, so a member access such as <c>Protocol.LogTable</c>
/// counts as a use of the file that declares <c>Protocol</c>; a name that merely looks
/// alike (a local variable, another namespace's type) does not.
/// </summary>
internal static class LayerChecker
{
    /// <summary>Sources keyed by their path relative to Mig.Core ("Schema/Naming.cs").</summary>
    public static IReadOnlyList<string> Violations(IReadOnlyDictionary<string, string> sources)
    {
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Value, path: s.Key)).ToList();
        var compilation = CSharpCompilation.Create(
            "LayerCheck",
            [.. trees, CSharpSyntaxTree.ParseText(ImplicitUsings)],
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        // A name that does not bind would hide its layer; the JSON source generator's
        // missing halves (CS0534 and the like) do not matter here.
        var unbound = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Id is "CS0246" or "CS0103" or "CS0234")
            .Select(d => d.ToString())
            .ToList();
        if (unbound.Count > 0)
            throw new InvalidOperationException("names that do not bind:\n" + string.Join("\n", unbound));

        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tree in trees)
        {
            var from = LayerRules.LayerOf(tree.FilePath);
            if (from is null) continue;
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                var type = DeclaringType(model.GetSymbolInfo(node));
                var declaredIn = type?.DeclaringSyntaxReferences.FirstOrDefault()?.SyntaxTree.FilePath;
                if (declaredIn is null) continue;
                var to = LayerRules.LayerOf(declaredIn);
                if (to is null || LayerRules.Allowed(from, to)) continue;
                var line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                found.Add($"{tree.FilePath}:{line} ({from}) uses {type!.Name} from {declaredIn} ({to})");
            }
        }
        return [.. found];
    }

    // What <ImplicitUsings>enable</ImplicitUsings> gives Mig.Core.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static INamedTypeSymbol? DeclaringType(SymbolInfo info)
    {
        var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
        if (symbol is null or INamespaceSymbol) return null;
        if (symbol is IMethodSymbol { ReducedFrom: { } extension }) symbol = extension;
        // The outermost type that contains the symbol: a member counts as a use of its type.
        var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        while (type?.ContainingType is { } outer) type = outer;
        return type?.OriginalDefinition;
    }

    private static List<MetadataReference> References()
    {
        // The running platform's assemblies plus Mig.Core's packages are enough to bind every name.
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        paths.Add(typeof(Microsoft.Data.Sqlite.SqliteConnection).Assembly.Location);
        paths.Add(typeof(SQLitePCL.raw).Assembly.Location);
        return [.. paths.Distinct().Select(p => MetadataReference.CreateFromFile(p))];
    }
}
