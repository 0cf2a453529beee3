namespace Mig;

/// <summary>A view with verbatim SQL; its columns must match the record's properties.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false)]
public sealed class ViewSqlAttribute(string sql) : Attribute
{
    /// <summary>The SELECT statement.</summary>
    public string Sql { get; } = sql;
}
