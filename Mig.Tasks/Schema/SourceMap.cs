using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Mig.Schema;

namespace Mig.Tasks.Schema;

/// <summary>
/// Finds where a <see cref="SchemaError"/> is in the schema sources: the model
/// speaks of types, members and attributes; the user needs a file and a line.
/// </summary>
internal sealed class SourceMap(IReadOnlyList<SyntaxTree> trees)
{
    private readonly Dictionary<string, List<TypeDeclarationSyntax>> types = Index(trees);

    /// <summary>A map of schema sources that were compiled earlier: parsing them is enough to find types and attributes.</summary>
    public static SourceMap Parse(IEnumerable<(string Path, string Text)> sources)
    {
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        return new SourceMap([.. sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, options, s.Path))]);
    }

    private static Dictionary<string, List<TypeDeclarationSyntax>> Index(IReadOnlyList<SyntaxTree> trees)
    {
        var result = new Dictionary<string, List<TypeDeclarationSyntax>>(StringComparer.Ordinal);
        foreach (var decl in trees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>()))
        {
            var name = MetadataName(decl);
            if (!result.TryGetValue(name, out var list)) result[name] = list = [];
            list.Add(decl);
        }
        return result;
    }

    private static string MetadataName(TypeDeclarationSyntax decl)
    {
        var typeParts = new List<string>();
        var nsParts = new List<string>();
        for (SyntaxNode? n = decl; n is not null; n = n.Parent)
        {
            if (n is TypeDeclarationSyntax t) typeParts.Insert(0, t.Identifier.ValueText + (t.TypeParameterList is { } tp ? "`" + tp.Parameters.Count : ""));
            else if (n is BaseNamespaceDeclarationSyntax ns) nsParts.Insert(0, ns.Name.ToString());
        }
        var ns2 = string.Join(".", nsParts);
        return (ns2.Length > 0 ? ns2 + "." : "") + string.Join("+", typeParts);
    }

    /// <summary>The diagnostic for an error, placed as precisely as the sources allow.</summary>
    public MigDiagnostic Locate(SchemaError error)
    {
        var location = Find(error);
        if (location is null) return new MigDiagnostic(error.Code, error.Message);
        var span = location.GetLineSpan();
        return new MigDiagnostic(error.Code, error.Message, span.Path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1);
    }

    private Location? Find(SchemaError error)
    {
        if (error.Type is null || !types.TryGetValue(error.Type, out var decls)) return null;
        if (error.Attribute is { } attribute)
        {
            var candidates = decls.SelectMany(d => d.AttributeLists).SelectMany(l => l.Attributes)
                .Where(a => AttributeName(a) == attribute || AttributeName(a) == attribute + "Attribute").ToList();
            var best = error.Argument is null ? candidates.FirstOrDefault()
                : candidates.FirstOrDefault(a => a.ArgumentList?.Arguments.Any(arg => Mentions(arg.Expression, error.Argument)) == true)
                  ?? candidates.FirstOrDefault();
            if (best is not null) return best.GetLocation();
        }
        if (error.Member is { } member)
        {
            foreach (var decl in decls)
            {
                if (decl.ParameterList?.Parameters.FirstOrDefault(p => p.Identifier.ValueText == member) is { } parameter)
                    return parameter.GetLocation();
                foreach (var m in decl.Members)
                {
                    if (m is PropertyDeclarationSyntax p && p.Identifier.ValueText == member) return p.Identifier.GetLocation();
                    if (m is MethodDeclarationSyntax method && method.Identifier.ValueText == member) return method.GetLocation();
                    if (m is FieldDeclarationSyntax f && f.Declaration.Variables.FirstOrDefault(v => v.Identifier.ValueText == member) is { } v2)
                        return v2.GetLocation();
                }
            }
        }
        return decls[0].Identifier.GetLocation();
    }

    private static string AttributeName(AttributeSyntax a) => a.Name switch
    {
        QualifiedNameSyntax q => q.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax q => q.Name.Identifier.ValueText,
        SimpleNameSyntax s => s.Identifier.ValueText,
        _ => a.Name.ToString(),
    };

    // nameof(Email), "Email", typeof(Student) and "Name DESC" all mention their name.
    private static bool Mentions(ExpressionSyntax expression, string argument) => expression switch
    {
        LiteralExpressionSyntax l when l.IsKind(SyntaxKind.StringLiteralExpression) =>
            l.Token.ValueText == argument || l.Token.ValueText.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Contains(argument),
        _ => expression.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == argument),
    };
}
