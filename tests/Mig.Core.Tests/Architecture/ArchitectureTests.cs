using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Mig.Core.Tests.Architecture;

/// <summary>
/// The shape of Mig.Core, checked on its sources: layers point one way, files and
/// functions stay small enough to read. A change that breaks a rule fails here with
/// the file and line, instead of slowly eroding the structure.
/// </summary>
[TestClass]
public sealed class ArchitectureTests
{
    private const int MaxFileLines = 400;
    private const int MaxFunctionLines = 60;
    /// <summary>A function longer than <see cref="MaxFunctionLines"/> says why in a comment that starts so.</summary>
    private const string LongReason = "// Long:";

    [TestMethod]
    public void LayersPointOneWay()
    {
        var violations = LayerChecker.Violations(CoreSources());
        Assert.IsEmpty(violations, "layer rule broken:\n" + string.Join("\n", violations));
    }

    [TestMethod]
    public void TheCheckerSeesAReferenceAgainstTheRules()
    {
        var sources = new Dictionary<string, string>
        {
            ["Sql/Quoting.cs"] = "namespace Mig.Sql; internal static class Quoting { public const int Max = 1; }",
            ["Schema/Rule.cs"] = "namespace Mig.Schema; internal static class Rule { public static int Limit => Mig.Sql.Quoting.Max; }",
            ["Migration/Step.cs"] = "namespace Mig.Migration; internal static class Step { public static int Limit => Mig.Sql.Quoting.Max + Mig.Schema.Rule.Limit; }",
        };
        var violations = LayerChecker.Violations(sources);
        Assert.HasCount(1, violations, string.Join("\n", violations));
        Assert.AreEqual("Schema/Rule.cs:1 (Schema) uses Quoting from Sql/Quoting.cs (Sql)", violations[0]);
    }

    [TestMethod]
    public void FilesAreShort()
    {
        var longFiles = CoreSources()
            .Select(s => (Path: s.Key, Lines: s.Value.Split('\n').Length))
            .Where(f => f.Lines > MaxFileLines)
            .Select(f => $"{f.Path}: {f.Lines} lines")
            .ToList();
        Assert.IsEmpty(longFiles, $"files over {MaxFileLines} lines:\n" + string.Join("\n", longFiles));
    }

    [TestMethod]
    public void OneTypePerFileNamedAfterIt()
    {
        var wrong = new List<string>();
        foreach (var (path, text) in CoreSources())
        {
            var types = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantNodes()
                .Where(n => n is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax && n.Parent is BaseNamespaceDeclarationSyntax or CompilationUnitSyntax)
                .Select(n => n is BaseTypeDeclarationSyntax t ? t.Identifier.Text : ((DelegateDeclarationSyntax)n).Identifier.Text)
                .ToList();
            if (types.Count != 1 || types[0] != Path.GetFileNameWithoutExtension(path))
                wrong.Add($"{path}: {string.Join(", ", types)}");
        }
        Assert.IsEmpty(wrong, "files that do not hold exactly the one type they are named after:\n" + string.Join("\n", wrong));
    }

    [TestMethod]
    public void LongFunctionsSayWhy()
    {
        var unexplained = new List<string>();
        foreach (var (path, text) in CoreSources())
        {
            var root = CSharpSyntaxTree.ParseText(text).GetRoot();
            foreach (var function in root.DescendantNodes().Where(IsFunction))
            {
                var span = function.GetLocation().GetLineSpan();
                var lines = span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
                if (lines <= MaxFunctionLines || SaysWhy(function)) continue;
                unexplained.Add($"{path}:{span.StartLinePosition.Line + 1} {Name(function)}: {lines} lines");
            }
        }
        Assert.IsEmpty(unexplained, $"functions over {MaxFunctionLines} lines without a '{LongReason}' comment:\n" + string.Join("\n", unexplained));
    }

    private static bool IsFunction(SyntaxNode node) =>
        node is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax;

    private static bool SaysWhy(SyntaxNode function) =>
        function.GetLeadingTrivia().Concat(function.DescendantTrivia())
            .Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) && t.ToString().StartsWith(LongReason, StringComparison.Ordinal));

    private static string Name(SyntaxNode function) => function switch
    {
        MethodDeclarationSyntax m => m.Identifier.Text,
        ConstructorDeclarationSyntax c => c.Identifier.Text,
        LocalFunctionStatementSyntax l => l.Identifier.Text,
        AccessorDeclarationSyntax a => a.Keyword.Text,
        _ => function.Kind().ToString(),
    };

    /// <summary>Every source file of Mig.Core, keyed by its path relative to the project folder.</summary>
    private static Dictionary<string, string> CoreSources()
    {
        var core = Path.Combine(RepositoryRoot(), "Mig.Core");
        return Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(core, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("obj/", StringComparison.Ordinal) && !f.StartsWith("bin/", StringComparison.Ordinal))
            .ToDictionary(f => f, f => File.ReadAllText(Path.Combine(core, f)));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Mig.sln"))) return dir.FullName;
        throw new InvalidOperationException("Mig.sln not found above " + AppContext.BaseDirectory);
    }
}
