using Mig.Sql;

namespace Mig.Schema;

// The immutable description of a database that everything else shares:
// DDL, the schema hash, code generation and migrations read this and only this.
// It is serialisable (SchemaModelJson) so the build can cache it between the
// schema compile and later targets.

/// <summary>The whole schema: tables, views and seed rows.</summary>
internal sealed record SchemaModel(
    IReadOnlyList<TableModel> Tables,
    IReadOnlyList<ViewModel> Views,
    IReadOnlyList<SeedModel> Seeds)
{
    /// <summary>The table with this SQL name, or null.</summary>
    public TableModel? FindTable(string name) =>
        Tables.FirstOrDefault(t => SqlNameComparer.Same(t.Name, name));
}

/// <summary>SQLite storage class of a column.</summary>
internal enum SqlType
{
    /// <summary>INTEGER.</summary>
    Integer,
    /// <summary>TEXT.</summary>
    Text,
    /// <summary>REAL.</summary>
    Real,
    /// <summary>BLOB.</summary>
    Blob,
}

/// <summary>The C# type a column maps from, so generated code and seeds convert values exactly.</summary>
internal enum ValueKind
{
    /// <summary>Int64.</summary>
    Int64,
    /// <summary>Int32.</summary>
    Int32,
    /// <summary>Int16.</summary>
    Int16,
    /// <summary>Byte.</summary>
    Byte,
    /// <summary>Boolean.</summary>
    Boolean,
    /// <summary>Any enum, stored as its integer value.</summary>
    Enum,
    /// <summary>String.</summary>
    String,
    /// <summary>Double.</summary>
    Double,
    /// <summary>Single.</summary>
    Single,
    /// <summary>Decimal.</summary>
    Decimal,
    /// <summary>byte[].</summary>
    Bytes,
    /// <summary>DateTime.</summary>
    DateTime,
    /// <summary>DateTimeOffset.</summary>
    DateTimeOffset,
    /// <summary>DateOnly.</summary>
    DateOnly,
    /// <summary>TimeOnly.</summary>
    TimeOnly,
    /// <summary>TimeSpan.</summary>
    TimeSpan,
    /// <summary>Guid.</summary>
    Guid,
}

/// <summary>What happens to referencing rows when the referenced row is deleted.</summary>
internal enum OnDelete
{
    /// <summary>No action (SQLite's default).</summary>
    NoAction,
    /// <summary>ON DELETE CASCADE.</summary>
    Cascade,
    /// <summary>ON DELETE SET NULL.</summary>
    SetNull,
}

/// <summary>A table: a record type, or one case of an extension union.</summary>
/// <param name="Name">SQL name.</param>
/// <param name="ClrType">Full C# name of the record (nested types with '+').</param>
/// <param name="Columns">Columns in declaration order; a composite-key reference contributes several.</param>
/// <param name="PrimaryKey">Key column names in key order; empty for a keyless table.</param>
/// <param name="AutoIncrement">Whether the single integer key is AUTOINCREMENT.</param>
/// <param name="Uniques">Unique constraints, each a list of column names.</param>
/// <param name="Indexes">Secondary indexes.</param>
/// <param name="ForeignKeys">Foreign keys, one per reference property.</param>
/// <param name="RenamedFrom">Declared previous table name, for migrations.</param>
/// <param name="ExtensionOf">For an extension case: the C# name of the union base type.</param>
/// <param name="Queries">Query methods requested by attributes.</param>
internal sealed record TableModel(
    string Name,
    string ClrType,
    IReadOnlyList<ColumnModel> Columns,
    IReadOnlyList<string> PrimaryKey,
    bool AutoIncrement,
    IReadOnlyList<IReadOnlyList<string>> Uniques,
    IReadOnlyList<IndexModel> Indexes,
    IReadOnlyList<ForeignKeyModel> ForeignKeys,
    string? RenamedFrom,
    string? ExtensionOf,
    IReadOnlyList<QueryModel> Queries)
{
    /// <summary>The column with this SQL name, or null.</summary>
    public ColumnModel? FindColumn(string name) =>
        Columns.FirstOrDefault(c => SqlNameComparer.Same(c.Name, name));

    /// <summary>The properties the record's primary constructor takes, in order; the rest are settable.</summary>
    public IReadOnlyList<string> ConstructorProperties { get; init; } = [];
}

/// <summary>A column.</summary>
/// <param name="Name">SQL name.</param>
/// <param name="Property">The C# property it comes from.</param>
/// <param name="Type">Storage class.</param>
/// <param name="Kind">The C# value type (for a reference column: the referenced key's).</param>
/// <param name="ClrType">Full C# type name of the value (the enum's name for enums).</param>
/// <param name="NotNull">False for nullable C# types.</param>
/// <param name="Default">Literal default, verbatim SQL.</param>
/// <param name="DefaultExpression">Expression default, without parentheses.</param>
/// <param name="RenamedFrom">Declared previous column name.</param>
/// <param name="ReferencedColumn">For a column of a reference property: the referenced key column it holds.</param>
internal sealed record ColumnModel(
    string Name,
    string Property,
    SqlType Type,
    ValueKind Kind,
    string ClrType,
    bool NotNull,
    string? Default,
    string? DefaultExpression,
    string? RenamedFrom,
    string? ReferencedColumn);

/// <summary>A secondary index.</summary>
internal sealed record IndexModel(string Name, IReadOnlyList<string> Columns);

/// <summary>A foreign key.</summary>
/// <param name="Property">The C# property.</param>
/// <param name="Columns">Referencing columns.</param>
/// <param name="ReferencedTable">Referenced table's SQL name.</param>
/// <param name="ReferencedColumns">Referenced key columns.</param>
/// <param name="OnDelete">Delete action.</param>
/// <param name="Embedded">True for a record-typed property (reads return the whole record); false for [References].</param>
internal sealed record ForeignKeyModel(
    string Property,
    IReadOnlyList<string> Columns,
    string ReferencedTable,
    IReadOnlyList<string> ReferencedColumns,
    OnDelete OnDelete,
    bool Embedded);

/// <summary>A view.</summary>
/// <param name="Name">SQL name.</param>
/// <param name="ClrType">Full C# name of the record.</param>
/// <param name="Columns">Selected columns in property order.</param>
/// <param name="Sql">The SELECT statement.</param>
/// <param name="Synthesised">True for [View]+[Join], false for [ViewSql].</param>
/// <param name="Queries">Query methods requested by attributes.</param>
internal sealed record ViewModel(
    string Name,
    string ClrType,
    IReadOnlyList<ViewColumnModel> Columns,
    string Sql,
    bool Synthesised,
    IReadOnlyList<QueryModel> Queries)
{
    /// <summary>The properties the record's primary constructor takes, in order; the rest are settable.</summary>
    public IReadOnlyList<string> ConstructorProperties { get; init; } = [];
}

/// <summary>A view column and, for synthesised views, the table column it resolved to.</summary>
internal sealed record ViewColumnModel(string Name, string Property, SqlType Type, ValueKind Kind, string ClrType, bool NotNull, string? SourceTable, string? SourceColumn);

/// <summary>The kinds of query attribute.</summary>
internal enum QueryKind
{
    /// <summary>[InsertOrIgnore].</summary>
    InsertOrIgnore,
    /// <summary>[SelectAll].</summary>
    SelectAll,
    /// <summary>[SelectBy].</summary>
    SelectBy,
    /// <summary>[SelectOneBy].</summary>
    SelectOneBy,
    /// <summary>[SelectLike].</summary>
    SelectLike,
    /// <summary>[SelectByOrInsert].</summary>
    SelectByOrInsert,
    /// <summary>[UpdateBy].</summary>
    UpdateBy,
    /// <summary>[DeleteBy].</summary>
    DeleteBy,
    /// <summary>[Upsert].</summary>
    Upsert,
}

/// <summary>One query attribute: its kind, the properties it names, and its ordering in property names.</summary>
internal sealed record QueryModel(QueryKind Kind, IReadOnlyList<string> Properties, string? OrderBy);

/// <summary>Seed rows of one table from one static member.</summary>
/// <param name="Table">SQL table name.</param>
/// <param name="Source">The member they come from (<c>Seeds.Roles</c>).</param>
/// <param name="Columns">Column names, the table's columns in order.</param>
/// <param name="Rows">Values as SQLite stores them: null, long, double, string or byte[].</param>
internal sealed record SeedModel(
    string Table,
    string Source,
    IReadOnlyList<string> Columns,
    IReadOnlyList<IReadOnlyList<object?>> Rows);
