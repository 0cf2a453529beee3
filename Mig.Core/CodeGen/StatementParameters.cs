using System.Globalization;

namespace Mig.CodeGen;

/// <summary>
/// The values one statement binds, named by position (<c>@p0</c>, <c>@p1</c>...) in the
/// order the SQL mentions them. A name made from the column (<c>@e-mail</c>) is not a
/// parameter SQLite can parse for every column name, and a sanitised one can collide
/// (<c>a-b</c>, <c>a b</c>); a position is always both valid and unique.
/// </summary>
internal sealed class StatementParameters
{
    private readonly List<FilterColumn> values = [];

    /// <summary>The bound values, in parameter order.</summary>
    public IReadOnlyList<FilterColumn> Values => values;

    /// <summary>The names, in parameter order.</summary>
    public IReadOnlyList<string> Names => [.. values.Select((_, i) => Name(i))];

    /// <summary>Adds a value and returns its placeholder for the SQL.</summary>
    public string Bind(FilterColumn value)
    {
        values.Add(value);
        return Name(values.Count - 1);
    }

    public static string Name(int index) => "@p" + index.ToString(CultureInfo.InvariantCulture);
}
