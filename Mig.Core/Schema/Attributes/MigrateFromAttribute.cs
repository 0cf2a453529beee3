namespace Mig;

/// <summary>
/// Fills a new column, during the migration that adds it, from a SQL expression over the old
/// table's columns (unqualified), for example <c>[MigrateFrom("first_name || ' ' || last_name")] string Name</c>.
/// The copy and the replay of captured writes both evaluate it on the old row; verification compares it.
/// Ignored once the old table has a column of that name (a later migration copies the column).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class MigrateFromAttribute(string expression) : Attribute
{
    /// <summary>The SQL expression over the old table's columns, without the parentheses.</summary>
    public string Expression { get; } = expression;
}
