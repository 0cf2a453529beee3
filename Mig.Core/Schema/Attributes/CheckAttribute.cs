namespace Mig;

/// <summary>
/// A CHECK constraint, SQL over the table's column names: on a record, a table constraint
/// (<c>[Check("ends_at &gt; starts_at")]</c>); on a property, a constraint of its column
/// (<c>[property: Check("price &gt;= 0")]</c>). A row whose expression is false is refused; NULL passes.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = true)]
public sealed class CheckAttribute(string expression) : Attribute
{
    /// <summary>The SQL expression, without the parentheses.</summary>
    public string Expression { get; } = expression;
}
