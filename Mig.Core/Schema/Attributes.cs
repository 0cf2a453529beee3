namespace Mig;

// The attributes a schema is written with (dsl.md). Properties are named by
// their C# name so `nameof` works; Mig maps them to snake_case columns.
// Positional record parameters carry attributes to the parameter by default,
// so every member-level attribute also targets parameters.

/// <summary>Primary key assigned by the application; several names make a composite key.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false)]
public sealed class PKAttribute(params string[] properties) : Attribute
{
    /// <summary>The key's properties, in key order.</summary>
    public string[] Properties { get; } = properties;
}

/// <summary>Integer primary key that SQLite assigns (<c>INTEGER PRIMARY KEY AUTOINCREMENT</c>).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false)]
public sealed class AutoIncPKAttribute(string property) : Attribute
{
    /// <summary>The key property.</summary>
    public string Property { get; } = property;
}

/// <summary>A unique constraint on one column, or on several together.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class UniqueAttribute(params string[] properties) : Attribute
{
    /// <summary>The constrained properties.</summary>
    public string[] Properties { get; } = properties;
}

/// <summary>A secondary index named <c>ix_&lt;table&gt;_&lt;columns&gt;</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class IndexAttribute(params string[] properties) : Attribute
{
    /// <summary>The indexed properties, in index order.</summary>
    public string[] Properties { get; } = properties;
}

/// <summary>A literal SQL default, written verbatim after <c>DEFAULT</c> (quote text: <c>"'n/a'"</c>).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class DefaultAttribute(string property, string value) : Attribute
{
    /// <summary>The property that gets the default.</summary>
    public string Property { get; } = property;
    /// <summary>The SQL literal.</summary>
    public string Value { get; } = value;
}

/// <summary>An expression default, written as <c>DEFAULT (expression)</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class DefaultExprAttribute(string property, string expression) : Attribute
{
    /// <summary>The property that gets the default.</summary>
    public string Property { get; } = property;
    /// <summary>The SQL expression, without the parentheses.</summary>
    public string Expression { get; } = expression;
}

/// <summary>Foreign key action <c>ON DELETE CASCADE</c> for a reference property.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class OnDeleteCascadeAttribute(string property) : Attribute
{
    /// <summary>The reference property.</summary>
    public string Property { get; } = property;
}

/// <summary>Foreign key action <c>ON DELETE SET NULL</c>; the reference property must be nullable.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class OnDeleteSetNullAttribute(string property) : Attribute
{
    /// <summary>The reference property.</summary>
    public string Property { get; } = property;
}

/// <summary>Declares that a table or column used to have another name. Migrations never guess renames.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class RenamedFromAttribute(string oldName) : Attribute
{
    /// <summary>The previous SQL name of the table or column.</summary>
    public string OldName { get; } = oldName;
}

/// <summary>A foreign key on a key-typed property (<c>long? ManagerId</c>) that does not embed the record: for self-references, trees and cycles.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class ReferencesAttribute(Type table) : Attribute
{
    /// <summary>The referenced table record.</summary>
    public Type Table { get; } = table;
}

/// <summary>Overrides the table name, to match an existing database.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false)]
public sealed class TableAttribute(string name) : Attribute
{
    /// <summary>The SQL table name.</summary>
    public string Name { get; } = name;
}

/// <summary>Overrides the column name, to match an existing database.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class ColumnAttribute(string name) : Attribute
{
    /// <summary>The SQL column name.</summary>
    public string Name { get; } = name;
}

/// <summary>Marks a record as a view whose SQL is synthesised from its <see cref="JoinAttribute"/>s.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false)]
public sealed class ViewAttribute : Attribute;

/// <summary>One join of a synthesised view; the condition is the foreign key between the two tables.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class JoinAttribute(Type left, Type right) : Attribute
{
    /// <summary>The table on the left of the join.</summary>
    public Type Left { get; } = left;
    /// <summary>The table on the right of the join.</summary>
    public Type Right { get; } = right;
}

/// <summary>A view with verbatim SQL; its columns must match the record's properties.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false)]
public sealed class ViewSqlAttribute(string sql) : Attribute
{
    /// <summary>The SELECT statement.</summary>
    public string Sql { get; } = sql;
}
