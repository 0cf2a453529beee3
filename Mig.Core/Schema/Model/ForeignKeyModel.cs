namespace Mig.Schema;

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
