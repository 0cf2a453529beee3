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
    /// <summary>
    /// Every enum a column or view column holds, with its members: generated code reads and writes
    /// names through them, and a migration between an enum's integer and name form converts by them.
    /// Not part of the schema hash (the CHECK of a name column is).
    /// </summary>
    public IReadOnlyList<EnumModel> Enums { get; init; } = [];

    /// <summary>The enum with this full C# name, or null.</summary>
    public EnumModel? FindEnum(string clrType) => Enums.FirstOrDefault(e => e.ClrType == clrType);

    /// <summary>The table with this SQL name, or null.</summary>
    public TableModel? FindTable(string name) =>
        Tables.FirstOrDefault(t => SqlNameComparer.Same(t.Name, name));
}
