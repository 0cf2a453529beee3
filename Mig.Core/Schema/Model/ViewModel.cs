namespace Mig.Schema;

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
