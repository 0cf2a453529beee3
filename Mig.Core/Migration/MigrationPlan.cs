using Mig.Schema;

using Mig.Sql;

namespace Mig.Migration;

/// <summary>How a new column gets its values.</summary>
internal enum FillKind
{
    /// <summary>Copied from an old column of the same storage class.</summary>
    Copy,
    /// <summary>Copied from an old column with <c>CAST</c> to the new storage class.</summary>
    Convert,
    /// <summary>A new column filled from its literal <c>[Default]</c>.</summary>
    Default,
    /// <summary>A new column filled by evaluating its <c>[DefaultExpr]</c> per row.</summary>
    DefaultExpression,
    /// <summary>A new nullable column without a default: NULL.</summary>
    Null,
}

/// <summary>One column of a new table and where its values come from.</summary>
/// <param name="Column">The new column.</param>
/// <param name="Source">The old column it is copied from, or null for a new column.</param>
/// <param name="Fill">How it is filled.</param>
/// <param name="Reason">Why: "same name", "[RenamedFrom(\"x\")]", "new column, [Default] 1", ...</param>
internal sealed record ColumnPlan(ColumnModel Column, string? Source, FillKind Fill, string Reason);

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

/// <summary>Data the migration would not carry over: a dropped table or column with data, or values a conversion changes.</summary>
/// <param name="Table">The old table.</param>
/// <param name="Column">The old column, or null for a whole table.</param>
/// <param name="Rows">How many rows lose data.</param>
/// <param name="What">What is lost, in words, with sample keys for conversions.</param>
internal sealed record DataLoss(string Table, string? Column, long Rows, string What);

/// <summary>A reason the plan cannot run at all, with what to do.</summary>
internal sealed record PlanError(string Code, string Message)
{
    /// <summary>What was found, without the advice (which depends on the phase that finds it); null when the message is all there is.</summary>
    public string? Finding { get; init; }
}

/// <summary>
/// Everything a migration will do, derived from the old file and the new model
/// without guessing: tables and columns match by name or by a declared
/// [RenamedFrom], never by resemblance (resemblance only yields a suggestion).
/// </summary>
internal sealed record MigrationPlan(
    IReadOnlyList<TablePlan> Tables,
    IReadOnlyList<OldTable> DroppedTables,
    IReadOnlyList<DataLoss> Losses,
    IReadOnlyList<PlanError> Errors,
    IReadOnlyList<string> Suggestions)
{
    /// <summary>The plan of the new table copied from this old table, if any.</summary>
    public TablePlan? ForOldTable(string oldName) =>
        Tables.FirstOrDefault(t => t.Source is not null && SqlNameComparer.Same(t.Source.Name, oldName));
}
