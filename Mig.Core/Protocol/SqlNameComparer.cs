namespace Mig;

/// <summary>
/// Compares SQL names as SQLite does: ASCII letters without regard to case, every other
/// character exactly. <c>Order</c> and <c>ORDER</c> name one table; <c>É</c> and <c>é</c> name
/// two, which a comparer that folds all of Unicode would take for one (and route one table's
/// writes to the other).
/// </summary>
internal sealed class SqlNameComparer : StringComparer
{
    /// <summary>The comparer.</summary>
    public static SqlNameComparer Instance { get; } = new();

    private SqlNameComparer()
    {
    }

    /// <summary>True when SQLite takes <paramref name="a"/> and <paramref name="b"/> for the same name.</summary>
    public static bool Same(string? a, string? b) => Instance.Equals(a, b);

    /// <inheritdoc/>
    public override int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            var d = Fold(x[i]).CompareTo(Fold(y[i]));
            if (d != 0) return d;
        }
        return x.Length.CompareTo(y.Length);
    }

    /// <inheritdoc/>
    public override bool Equals(string? x, string? y) => Compare(x, y) == 0;

    /// <inheritdoc/>
    public override int GetHashCode(string obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = new HashCode();
        foreach (var c in obj) hash.Add(Fold(c));
        return hash.ToHashCode();
    }

    private static char Fold(char c) => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
}
