namespace Mig.Schema;

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
