using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// A new column filled by its [MigrateFrom] expression over the old row (<see cref="FillKind.Computed"/>):
/// the value the copy, replay and verification all write or compare, and the plan's checks of it
/// against the old table: names it lacks (MIG0061), NULLs for a NOT NULL column (MIG0043), and values
/// that do not survive the column's type (a loss, as for a conversion).
/// </summary>
internal static class ComputedFill
{
    /// <summary>True when a column's value is read from the old row: copied from a column or computed from it.</summary>
    public static bool ReadsOldRow(ColumnPlan c) => c.Source is not null || c.Fill == FillKind.Computed;

    /// <summary>
    /// The value, in the scope of one old row whose columns are the only ones by those names
    /// (a FROM of the old table alone). CAST as a conversion casts, so the column gets its type.
    /// </summary>
    public static string Value(ColumnPlan c) => $"CAST(({c.Column.MigrateFrom}) AS {TypeMapping.Keyword(c.Column.Type)})";

    /// <summary>
    /// The value of the old row at <paramref name="oldRowId"/> in a scope where other tables' names are
    /// visible too (replay joins its list of touched rowids): a correlated subquery over the old table
    /// alone, one rowid lookup, so a bare name can only mean the old row's column.
    /// </summary>
    public static string Isolated(ColumnPlan c, string oldTable, string oldRowId) =>
        $"(SELECT {Copier.ValueExpression(c, "NULL")} FROM {oldTable} AS mig_c WHERE mig_c.rowid = {oldRowId})";

    /// <summary>
    /// What replay writes into a column that reads the old row aliased <paramref name="alias"/>: the copied value
    /// as the copy converts it, or the expression evaluated again on the old row as it is now.
    /// </summary>
    public static string Replayed(ColumnPlan c, string oldTable, string alias) => c.Fill == FillKind.Computed
        ? Isolated(c, $"old.{SqlIdentifier.Quote(oldTable)}", $"{alias}.rowid")
        : Copier.ValueExpression(c, $"{alias}.{SqlIdentifier.Quote(c.Source!)}");

    /// <summary>
    /// MIG0043 when replay failed on the NOT NULL of a computed column: a write made while recording for which
    /// the expression gives NULL (the plan checked the rows it saw). Null for any other failure.
    /// </summary>
    public static MigOperationException? NullResult(SqliteException e, MigrationPlan plan)
    {
        if (e.SqliteExtendedErrorCode != 1299) return null; // SQLITE_CONSTRAINT_NOTNULL
        var column = plan.Tables.SelectMany(t => t.Columns.Where(c => c.Fill == FillKind.Computed).Select(c => (t, c)))
            .FirstOrDefault(p => e.Message.Contains($"NOT NULL constraint failed: {p.t.Table.Name}.{p.c.Column.Name}", StringComparison.Ordinal));
        if (column.c is not { } c) return null;
        return new MigOperationException(MigCode.NotNullWithoutDefault,
            $"A row written to {column.t.Source?.Name} while the migration recorded gives NULL for the NOT NULL column {column.t.Table.Name}.{c.Column.Name}: its [MigrateFrom] {c.Column.MigrateFrom} is NULL for that row, so it cannot be replayed. " +
            "Nothing of the failing batch was applied. Run MigReset (the old service writes again), then correct that row in the old file, or give the column a [Default] or the expression a coalesce(), and MigMigrate again.", e);
    }

    /// <summary>The plan of a new column with [MigrateFrom], checked against the old table's rows (when <paramref name="analyze"/>).</summary>
    public static ColumnPlan Plan(SqliteConnection connection, string oldSchema, TableModel table, OldTable source, ColumnModel column,
        bool analyze, List<PlanError> errors, List<DataLoss> losses)
    {
        var plan = new ColumnPlan(column, null, FillKind.Computed, $"new column, [MigrateFrom] {column.MigrateFrom}");
        var from = $"{oldSchema}.{SqlIdentifier.Quote(source.Name)}";
        if (Unresolved(connection, from, column.MigrateFrom!) is { } why)
        {
            errors.Add(new PlanError(MigCode.MigrateFromUnknownColumn,
                $"[MigrateFrom] of {table.Name}.{column.Name} does not run against the old table {source.Name}: {why}. Its columns are: {string.Join(", ", source.Columns.Select(o => o.Name))}. " +
                $"Nothing was changed. Name the old table's columns, unqualified, in {Planner.ShortName(table.ClrType)}.{column.Property}'s [MigrateFrom]; then run MigPlan again."));
            return plan;
        }
        if (!analyze || source.RowCount == 0) return plan;
        var raw = Value(plan);
        if (column.NotNull && column.Default is null && column.DefaultExpression is null && RowSample.RowIds(connection, from, $"{raw} IS NULL") is { Count: > 0 } nulls)
            errors.Add(new PlanError(MigCode.NotNullWithoutDefault,
                $"{table.Name}.{column.Name} is a new NOT NULL column, but its [MigrateFrom] {column.MigrateFrom} gives NULL for {nulls.Count} row(s) of {source.Name} ({nulls.RowIdList}). " +
                $"Nothing was changed. Make the expression give a value for them (coalesce(..., ...)), add [Default(nameof({column.Property}), ...)] for them, or make the property nullable; then run MigPlan again."));
        var expression = $"({column.MigrateFrom})";
        if (RowSample.RowIds(connection, from, $"{expression} IS NOT NULL AND NOT ({Planner.Survives(expression, column.Type)})") is { Count: > 0 } lossy)
            losses.Add(new DataLoss(source.Name, column.Name, lossy.Count,
                $"{lossy.Count} value(s) of [MigrateFrom] {column.MigrateFrom} for {table.Name}.{column.Name} do not survive -> {TypeMapping.Keyword(column.Type)} ({lossy.RowIdList})"));
        return plan;
    }

    /// <summary>Why SQLite cannot evaluate the expression over a row of the old table alone; null when it can.</summary>
    private static string? Unresolved(SqliteConnection connection, string from, string expression)
    {
        try
        {
            // Prepared, not run: the names resolve at prepare time, and the scope is the one the copy uses.
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT ({expression}) FROM {from} AS mig_c LIMIT 0";
            using var r = cmd.ExecuteReader();
            return null;
        }
        catch (SqliteException e)
        {
            return MigrateFromCheck.SqliteMessage(e);
        }
    }
}
