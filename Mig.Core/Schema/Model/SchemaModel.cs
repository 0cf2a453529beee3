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
