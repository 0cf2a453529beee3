using System.Text;

namespace Mig.Migration;

/// <summary>
/// Tables of the old file that are other tools' bookkeeping, not the schema: Litestream's
/// (<see cref="Litestream"/>, always) and those the user names (<c>@(MigIgnoreTable)</c>, bundle
/// <c>--ignore-table</c>). <see cref="Introspector"/> leaves them out of the old file's tables, so
/// they are never planned, copied, captured, guarded or verified, and writes to them are never refused.
/// An entry with a <c>%</c> is a SQL <c>LIKE</c> pattern (<c>%</c> any run of characters, <c>_</c> any
/// one, ASCII letters without regard to case); any other entry is an exact name, compared as SQLite
/// compares names, so <c>my_table</c> never ignores <c>myXtable</c>.
/// </summary>
internal sealed class IgnoredTables
{
    /// <summary>The tables Litestream keeps in every file it replicates.</summary>
    public static IReadOnlyList<string> Litestream { get; } = ["_litestream_seq", "_litestream_lock"];

    /// <summary>Nothing ignored: a capture installed before Mig knew of ignored tables recorded every table.</summary>
    public static IgnoredTables None { get; } = new([], builtIn: false);

    /// <summary>Litestream's tables only.</summary>
    public static IgnoredTables Default { get; } = new([], builtIn: true);

    private readonly bool builtIn;

    private IgnoredTables(IEnumerable<string> patterns, bool builtIn)
    {
        Patterns = [.. patterns.Where(p => p.Length > 0).Distinct(StringComparer.Ordinal)];
        this.builtIn = builtIn;
    }

    /// <summary>The user's entries (the built-in Litestream names are not among them).</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>Litestream's tables and those <paramref name="patterns"/> name.</summary>
    public static IgnoredTables From(IEnumerable<string> patterns) => new(patterns, builtIn: true);

    /// <summary>These and those <paramref name="more"/> names too.</summary>
    public IgnoredTables With(IgnoredTables more) => new(Patterns.Concat(more.Patterns), builtIn || more.builtIn);

    /// <summary>True when <paramref name="table"/> is another tool's table.</summary>
    public bool Ignores(string table) =>
        (builtIn && Litestream.Any(l => SqlNameComparer.Same(l, table))) || Patterns.Any(p => Matches(table, p));

    private static bool Matches(string table, string entry) =>
        entry.Contains('%', StringComparison.Ordinal) ? Like(table, entry) : SqlNameComparer.Same(table, entry);

    /// <summary>
    /// SQLite's <c>name LIKE pattern</c> without ESCAPE: <c>%</c> any run of characters, <c>_</c> any one
    /// character (a code point, as SQLite counts them in UTF-8), ASCII letters without regard to case.
    /// </summary>
    public static bool Like(string name, string pattern)
    {
        var n = name.EnumerateRunes().Select(Fold).ToArray();
        var p = pattern.EnumerateRunes().Select(Fold).ToArray();
        // match[j]: the first i characters of the name match the first j of the pattern.
        var match = new bool[p.Length + 1];
        match[0] = true;
        for (var j = 1; j <= p.Length && p[j - 1].Value == '%'; j++) match[j] = true;
        for (var i = 1; i <= n.Length; i++)
        {
            var diagonal = match[0];
            match[0] = false;
            for (var j = 1; j <= p.Length; j++)
            {
                var above = match[j];
                match[j] = p[j - 1].Value switch
                {
                    '%' => match[j - 1] || above,
                    '_' => diagonal,
                    _ => diagonal && p[j - 1] == n[i - 1],
                };
                diagonal = above;
            }
        }
        return match[p.Length];
    }

    private static Rune Fold(Rune r) => r.Value is >= 'A' and <= 'Z' ? new Rune(r.Value + 32) : r;
}
