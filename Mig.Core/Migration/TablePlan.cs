using Mig.Schema;

namespace Mig.Migration;

/// <summary>One table of the new schema and where its rows come from.</summary>
/// <param name="Table">The new table.</param>
/// <param name="Source">The old table, or null for a new table.</param>
/// <param name="Reason">Why they match.</param>
/// <param name="Columns">Every new column, in order.</param>
/// <param name="RowIdAliasFromSource">True when the new table's rowid is its INTEGER PRIMARY KEY (it then carries the old rowid through that key).</param>
internal sealed record TablePlan(TableModel Table, OldTable? Source, string Reason, IReadOnlyList<ColumnPlan> Columns, bool RowIdAliasFromSource)
{
    /// <summary>
    /// True when the new INTEGER PRIMARY KEY is the old table's primary key but not its rowid
    /// (an <c>INT PRIMARY KEY</c>, a numeric <c>TEXT PRIMARY KEY</c>): key values are kept, rowids
    /// change, and <c>_id_mapping</c> holds old rowid -> new rowid where they differ (<see cref="IdMapping"/>).
    /// </summary>
    public bool RowIdChanges { get; init; }

    /// <summary>The plan of the new INTEGER PRIMARY KEY column when <see cref="RowIdChanges"/>.</summary>
    internal ColumnPlan KeyColumn => Columns.Single(c => c.Column == Table.FindColumn(Table.PrimaryKey[0]));
}
