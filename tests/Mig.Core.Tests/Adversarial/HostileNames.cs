using System.Text;

namespace Mig.Core.Tests.Adversarial;

/// <summary>
/// Identifiers a careless tool mishandles: unicode, spaces, punctuation, both quote characters,
/// SQL keywords, prefixes of Mig's own names, and names that differ only in characters a
/// sanitiser would drop or fold (<c>a-b</c>, <c>a b</c>, <c>a_b</c>, <c>A-B</c>).
/// </summary>
internal sealed class HostileNames(Random rng)
{
    private static readonly string[] Pieces =
    [
        "order", "select", "group", "table", "rowid_", "oid", "_rowid_", "_old_rowid_", "_mig", "_migration", "_mig_info_", "_id_mapping_x",
        "sqlite", "用户", "订单", "é", "É", "ä", "Ä", "σ", "Σ", "ß", "Ω", "😀", "a b", "a-b", "a_b", "a.b", "a\"b", "a'b", "a`b", "[x]", "%", "_", "\\", "$1", "@p0", ":name", "?",
        "--", "/*", ";", "e-mail", " lead", "trail ", "\t", "x",
    ];

    // As SQLite compares names: "é" and "É" are two names, "a" and "A" one.
    private readonly HashSet<string> used = new(SqlNameComparer.Instance);

    /// <summary>A fresh name, unique (ignoring ASCII case only, as SQLite does) among those this generator made.</summary>
    public string Next()
    {
        while (true)
        {
            var b = new StringBuilder();
            for (var i = rng.Next(1, 4); i > 0; i--) b.Append(Pieces[rng.Next(Pieces.Length)]);
            var name = b.ToString();
            // Names SQLite or Mig refuse outright are not hostile input, just invalid: a schema error covers them.
            if (name.Trim().Length == 0 || name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)
                || name.Equals("rowid", StringComparison.OrdinalIgnoreCase) || Protocol.IsReserved(name)) continue;
            if (used.Add(name)) return name;
        }
    }

    /// <summary>The C# string literal of <paramref name="s"/>.</summary>
    public static string CSharp(string s)
    {
        var b = new StringBuilder("\"");
        foreach (var c in s)
            b.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        return b.Append('"').ToString();
    }

    /// <summary>The quoted SQL identifier of <paramref name="s"/>.</summary>
    public static string Sql(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
