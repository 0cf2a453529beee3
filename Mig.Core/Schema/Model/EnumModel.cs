namespace Mig.Schema;

/// <summary>An enum a column holds, and its members in declaration order.</summary>
/// <param name="ClrType">Full C# name (as <see cref="ColumnModel.ClrType"/>).</param>
/// <param name="Members">Each member's name and integer value (as stored in an INTEGER column).</param>
internal sealed record EnumModel(string ClrType, IReadOnlyList<EnumMember> Members)
{
    /// <summary>
    /// One name per value, the first declared: what a value is written as. Aliases
    /// (<c>Default = Red</c>) are read back but never written.
    /// </summary>
    public IEnumerable<EnumMember> Canonical => Members.DistinctBy(m => m.Value);

    /// <summary>A name as a SQL text literal (a C# identifier holds no quote, but quoting never trusts that).</summary>
    public static string Text(string name) => "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'";
}
