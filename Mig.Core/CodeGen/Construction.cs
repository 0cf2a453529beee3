namespace Mig.CodeGen;

/// <summary>
/// The C# that creates a record, as lines: one line when it is short, else one argument
/// per line (nested records likewise), so a record that embeds others reads as a tree
/// rather than as one very long line.
/// </summary>
internal static class Construction
{
    /// <summary>The longest expression kept on one line.</summary>
    private const int Width = 100;

    /// <summary>
    /// <c>new T(a, b) { C = c }</c>: constructor parameters in order, other properties by
    /// initializer. Each value is an expression as lines (see <see cref="Prefixed"/>).
    /// </summary>
    public static IReadOnlyList<string> New(string type, IReadOnlyList<string> ctor, IReadOnlyList<(string Property, IReadOnlyList<string> Expr)> values)
    {
        var byName = values.ToDictionary(v => v.Property, v => v.Expr, StringComparer.Ordinal);
        var args = ctor.Select(p => byName[p]).ToList();
        var rest = values.Where(v => !ctor.Contains(v.Property)).Select(v => (Member: QueryEmitter.Member(v.Property), v.Expr)).ToList();
        if (args.Concat(rest.Select(r => r.Expr)).All(e => e.Count == 1))
        {
            var flat = $"new {type}({string.Join(", ", args.Select(a => a[0]))})"
                + (rest.Count > 0 ? " { " + string.Join(", ", rest.Select(r => $"{r.Member} = {r.Expr[0]}")) + " }" : "");
            if (flat.Length <= Width) return [flat];
        }
        var lines = new List<string>();
        if (args.Count == 0)
        {
            lines.Add($"new {type}()");
        }
        else
        {
            lines.Add($"new {type}(");
            for (var i = 0; i < args.Count; i++)
                lines.AddRange(Indented(Suffixed(args[i], i < args.Count - 1 ? "," : ")")));
        }
        if (rest.Count > 0)
        {
            lines.Add("{");
            foreach (var (member, expr) in rest) lines.AddRange(Indented(Suffixed(Prefixed(member + " = ", expr), ",")));
            lines.Add("}");
        }
        return lines;
    }

    /// <summary>An expression with text before its first line: <c>r.IsDBNull(6) ? null : new T(...)</c>.</summary>
    public static IReadOnlyList<string> Prefixed(string prefix, IReadOnlyList<string> expr) => [prefix + expr[0], .. expr.Skip(1)];

    /// <summary>An expression with text after its last line: a comma, a parenthesis, a semicolon.</summary>
    public static IReadOnlyList<string> Suffixed(IReadOnlyList<string> expr, string suffix) => [.. expr.Take(expr.Count - 1), expr[^1] + suffix];

    private static IEnumerable<string> Indented(IEnumerable<string> lines) => lines.Select(l => "    " + l);
}
