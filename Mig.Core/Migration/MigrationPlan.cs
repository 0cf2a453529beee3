namespace Mig.Migration;

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

    /// <summary>The old file's tables that are other tools' bookkeeping (<see cref="IgnoredTables"/>): left alone, in no other list here.</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];

    /// <summary>The old file planned from, when MigPlan names it (null for the plans steps make for themselves).</summary>
    public string? OldDatabase { get; init; }

    /// <summary>The new file MigMigrate would create, when MigPlan names it: a replication tool lists it before MigMigrate.</summary>
    public string? NewDatabase { get; init; }
}
