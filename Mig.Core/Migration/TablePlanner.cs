using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// Plans one table of the new schema from its old table (or none): where each column's values
/// come from, and whether the rowid carries over. Each rule the old data must meet is a named
/// check adding to the plan's errors, losses and suggestions, in the order the plan reports them.
/// </summary>
internal sealed class TablePlanner(SqliteConnection connection, string oldSchema, TableModel table, OldTable? source,
    List<PlanError> errors, List<DataLoss> losses, List<string> suggestions, bool online, bool analyze)
{
    private readonly List<ColumnPlan> columns = [];
    private readonly HashSet<string> used = new(SqlNameComparer.Instance);
    private readonly ColumnModel? rowIdColumn = RowIdColumn(table);

    /// <summary>The new schema's enums, for a column that moves between an enum's integer and name forms.</summary>
    public IReadOnlyList<EnumModel> Enums { get; init; } = [];

    /// <summary>The table's plan; <paramref name="reason"/> says why its old table matched.</summary>
    public TablePlan Plan(string reason)
    {
        foreach (var c in table.Columns)
        {
            var (from, why) = MatchOldColumn(c);
            if (from is not null && used.Add(from.Name)) PlanCopiedColumn(source!, c, from, why);
            else PlanNewColumn(c);
        }
        if (source is not null) ReportDroppedColumns(source);
        if (analyze && source is { RowCount: > 1 }) CheckKeysStayUnique(source);
        if (analyze && source is { RowCount: > 0 }) errors.AddRange(ConstraintCheck.Find(connection, oldSchema, table, source, columns));
        var rowIdChanges = source is not null && PlanRowId(source);
        return new TablePlan(table, source, reason, columns, rowIdColumn is not null) { RowIdChanges = rowIdChanges };
    }

    /// <summary>The old column a new one is copied from: the same name, else its [RenamedFrom]; and why.</summary>
    private (OldColumn? From, string Why) MatchOldColumn(ColumnModel c)
    {
        if (source is null) return (null, "new column");
        // A later migration copies the column the one that added it computed: recomputing would overwrite the data.
        if (source.Columns.FirstOrDefault(o => SqlNameComparer.Same(o.Name, c.Name)) is { } same) return (same, c.MigrateFrom is null ? "same name" : "same name; [MigrateFrom] not used");
        if (c.RenamedFrom is { } r && source.Columns.FirstOrDefault(o => SqlNameComparer.Same(o.Name, r)) is { } renamed) return (renamed, $"[RenamedFrom(\"{r}\")]");
        return (null, "new column");
    }

    private void PlanCopiedColumn(OldTable source, ColumnModel c, OldColumn from, string why)
    {
        // An old value that is not an integer cannot become the new rowid: CAST would change the
        // key (and so what references it) and a plain copy fails with "datatype mismatch". That is
        // a plan error below, not a loss to accept or a missing default.
        var becomesRowId = c == rowIdColumn && !IsRowId(source, from);
        // A column without a declared type stores values as given; a typed new column converts them
        // on insert ('007' becomes 7 in an INTEGER column), so that is a conversion, checked like any other.
        if (Planner.Affinity(from.DeclaredType) == c.Type)
        {
            columns.Add(new ColumnPlan(c, from.Name, FillKind.Copy, why));
        }
        else if (EnumConversion.Between(c, from, Enums) is { } e)
        {
            columns.Add(new ColumnPlan(c, from.Name, FillKind.EnumConvert, $"{why}, converted: {EnumConversion.Describe(c, e)}") { Enum = e });
            if (analyze) EnumConversion.Check(connection, oldSchema, table, source, c, from, e, errors, losses);
        }
        else
        {
            columns.Add(new ColumnPlan(c, from.Name, FillKind.Convert, $"{why}, {from.DeclaredType} -> {TypeMapping.Keyword(c.Type)}"));
            if (analyze && !becomesRowId) CheckConversionKeepsValues(source, c, from);
        }
        if (analyze && becomesRowId) CheckKeysFitRowId(source, c, from);
        else if (analyze && c.NotNull && !from.NotNull) CheckBecomesNotNull(source, c, from);
    }

    /// <summary>A loss when old values do not survive the conversion to the new column's type.</summary>
    private void CheckConversionKeepsValues(OldTable source, ColumnModel c, OldColumn from)
    {
        var lossy = LossyConversions(source, from.Name, c.Type);
        if (lossy.Count > 0)
            losses.Add(new DataLoss(source.Name, from.Name, lossy.Count,
                $"{lossy.Count} value(s) of {source.Name}.{from.Name} do not survive {from.DeclaredType} -> {TypeMapping.Keyword(c.Type)} (rowids {string.Join(", ", lossy.Sample)})"));
    }

    /// <summary>MIG0052 when old keys that become the new rowid are not integers as they are.</summary>
    private void CheckKeysFitRowId(OldTable source, ColumnModel c, OldColumn from)
    {
        var (count, sample) = UnconvertibleKeys(source, from.Name);
        if (count > 0)
            errors.Add(new PlanError(MigCode.UnconvertibleKey,
                $"{table.Name}.{c.Name} becomes the table's INTEGER PRIMARY KEY (its rowid) from {source.Name}.{from.Name}, but {count} row(s) hold a key that is not an integer " +
                $"and cannot become a rowid without changing ({string.Join(", ", sample)}{(count > sample.Count ? ", ..." : "")}). Mig does not guess a key, and -p:MigAllowDataLoss=true does not apply; " +
                $"nothing was changed. Correct these keys in the old file (an integer each, '007' as 7, together with the rows that reference them), " +
                $"or keep {Planner.ShortName(table.ClrType)}.{c.Property} of the old key's type; then run MigPlan again."));
    }

    /// <summary>MIG0043 when a column becomes NOT NULL without a default, and old rows (or, online, the old service's writes) may hold NULL.</summary>
    private void CheckBecomesNotNull(OldTable source, ColumnModel c, OldColumn from)
    {
        var nulls = SqliteFile.Scalar(connection, $"SELECT count(*) FROM {oldSchema}.{SqlIdentifier.Quote(source.Name)} WHERE {SqlIdentifier.Quote(from.Name)} IS NULL");
        if (nulls > 0 && c.Default is null && c.DefaultExpression is null)
            errors.Add(new PlanError(MigCode.NotNullWithoutDefault,
                $"{table.Name}.{c.Name} becomes NOT NULL but {nulls} row(s) of {source.Name}.{from.Name} are NULL. Add [Default(nameof({c.Property}), ...)] to fill them, or keep the property nullable."));
        // Online, the old service may still write NULL there (not to a rowid, which is never NULL);
        // replay would then fail with writes paused.
        // A kept key that becomes the new rowid is exempt: replay stops on a NULL key with
        // MIG0052 (IdMapping), it cannot be defaulted, and a hand-written INT PRIMARY KEY rarely says NOT NULL.
        else if (online && c.Default is null && c.DefaultExpression is null && !IsRowId(source, from) && !KeepsKeyAsRowId(source, c, from))
            errors.Add(new PlanError(MigCode.NotNullWithoutDefault,
                $"{table.Name}.{c.Name} becomes NOT NULL, but the old service may write NULL to {source.Name}.{from.Name} while the migration records, and that write could not be replayed. Add [Default(nameof({c.Property}), ...)], or migrate offline (-p:MigOffline=true)."));
    }

    private void PlanNewColumn(ColumnModel c)
    {
        if (source is not null && c.MigrateFrom is not null)
        {
            columns.Add(ComputedFill.Plan(connection, oldSchema, table, source, c, analyze, errors, losses));
            return;
        }
        var (fill, fillWhy) = c.DefaultExpression is not null ? (FillKind.DefaultExpression, $"new column, [DefaultExpr] {c.DefaultExpression}")
            : c.Default is not null ? (FillKind.Default, $"new column, [Default] {c.Default}")
            : (FillKind.Null, "new column, NULL");
        if (fill == FillKind.Null && c.NotNull) CheckNewNotNullColumnFilled(c);
        columns.Add(new ColumnPlan(c, null, fill, fillWhy));
    }

    /// <summary>MIG0043 for a new NOT NULL column without a default, when the old table has rows to fill (or, online, may get some).</summary>
    private void CheckNewNotNullColumnFilled(ColumnModel c)
    {
        if (source is { RowCount: > 0 })
            errors.Add(new PlanError(MigCode.NotNullWithoutDefault,
                $"{table.Name}.{c.Name} is a new NOT NULL column and {source.Name} has {source.RowCount} row(s) to fill. Add [Default(nameof({c.Property}), ...)] or [DefaultExpr(...)], or make the property nullable."));
        // An empty table is no excuse online: rows the old service inserts while the migration records need a value too.
        else if (source is not null && online)
            errors.Add(new PlanError(MigCode.NotNullWithoutDefault,
                $"{table.Name}.{c.Name} is a new NOT NULL column; {source.Name} is empty, but rows the old service inserts while the migration records would have no value for it. Add [Default(nameof({c.Property}), ...)] or [DefaultExpr(...)], make the property nullable, or migrate offline (-p:MigOffline=true)."));
    }

    /// <summary>Old columns no new column takes: a loss when they hold values, and a suggestion when a new column looks like their rename.</summary>
    private void ReportDroppedColumns(OldTable source)
    {
        foreach (var gone in source.Columns.Where(o => !used.Contains(o.Name)))
        {
            // A generated column's values follow from columns the plan reports on its own: dropping it loses nothing.
            var values = !analyze || source.RowCount == 0 || gone.Generated ? 0 : SqliteFile.Scalar(connection, $"SELECT count(*) FROM {oldSchema}.{SqlIdentifier.Quote(source.Name)} WHERE {SqlIdentifier.Quote(gone.Name)} IS NOT NULL");
            if (values > 0)
                losses.Add(new DataLoss(source.Name, gone.Name, values, $"column {source.Name}.{gone.Name} is dropped with {values} non-null value(s)"));
            var twin = columns.FirstOrDefault(p => p.Source is null && p.Fill != FillKind.Computed && p.Column.RenamedFrom is null && p.Column.Type == Planner.Affinity(gone.DeclaredType));
            if (twin is not null)
                suggestions.Add($"{source.Name}.{gone.Name} disappears and {table.Name}.{twin.Column.Name} is new with the same type. If it was renamed, add [RenamedFrom(\"{gone.Name}\")] to {Planner.ShortName(table.ClrType)}.{twin.Column.Property}; without it the plan drops {gone.Name} and fills {twin.Column.Name} ({twin.Reason}).");
        }
    }

    /// <summary>MIG0053 for each key of the new table (primary key first) whose values the old rows repeat.</summary>
    private void CheckKeysStayUnique(OldTable source)
    {
        foreach (var key in table.PrimaryKey.Count > 0 ? table.Uniques.Prepend(table.PrimaryKey) : table.Uniques)
            if (DuplicateKeyCheck.Find(connection, oldSchema, table, source, [.. key.Select(k => columns.First(p => SqlNameComparer.Same(p.Column.Name, k)))]) is { } error)
                errors.Add(error);
    }

    /// <summary>
    /// Replay finds rows by rowid. A new INTEGER PRIMARY KEY is the new rowid, so it must
    /// carry the old rowid (copied from the old table's own INTEGER PRIMARY KEY), or be
    /// derivable from each captured row image (the old key, through _id_mapping). Returns
    /// whether the rowid changes (the old key becomes it); adds MIG0051 online when neither holds.
    /// </summary>
    private bool PlanRowId(OldTable source)
    {
        if (rowIdColumn is null) return false;
        var plan = columns.First(p => p.Column == rowIdColumn);
        var aliasFromSource = plan.Source is not null && SqlNameComparer.Same(plan.Source, source.RowIdAlias);
        // The old key (INT, or numeric TEXT) becomes the rowid: its value is kept, only the rowid
        // changes, and _id_mapping lets replay and verify follow each old rowid to its new one.
        // Any other source is not unique in the old file (or there is none), so a captured write
        // could not be placed without guessing: that still has to run offline.
        var rowIdChanges = !aliasFromSource && plan.Source is not null && source.PrimaryKey.Count == 1
            && SqlNameComparer.Same(plan.Source, source.PrimaryKey[0]);
        // Online even when the old table is empty: rows inserted while recording need placing too.
        if (!aliasFromSource && !rowIdChanges && online)
            errors.Add(new PlanError(MigCode.AmbiguousMatch,
                $"{table.Name}.{rowIdColumn.Name} becomes the table's INTEGER PRIMARY KEY (its rowid) but comes neither from the old table's rowid nor from its primary key, so writes captured during an online migration could not be matched to their rows. Migrate this change offline (-p:MigOffline=true)."));
        return rowIdChanges;
    }

    /// <summary>
    /// The new table's rowid alias: its single INTEGER PRIMARY KEY. A key that is also a foreign key
    /// (an extension table, docs/dsl.md) is one too: SQLite makes any column declared exactly INTEGER
    /// PRIMARY KEY the rowid, and Ddl writes <c>INTEGER NOT NULL PRIMARY KEY</c> for it.
    /// </summary>
    private static ColumnModel? RowIdColumn(TableModel table) =>
        table.PrimaryKey.Count == 1 && table.FindColumn(table.PrimaryKey[0]) is { Type: SqlType.Integer } k ? k : null;

    /// <summary>The old key column (not the old rowid) becomes the new rowid, keeping its values.</summary>
    private bool KeepsKeyAsRowId(OldTable source, ColumnModel column, OldColumn from) =>
        column == rowIdColumn
        && source.PrimaryKey.Count == 1 && SqlNameComparer.Same(source.PrimaryKey[0], from.Name);

    private static bool IsRowId(OldTable table, OldColumn column) => SqlNameComparer.Same(table.RowIdAlias, column.Name);

    /// <summary>
    /// Old keys that no INTEGER rowid can hold as they are (what replay refuses too, <see cref="IdMapping"/>):
    /// NULL, non-integral REALs, text that does not read back as the same integer ('abc', '007'). With up to five "rowid r: value" samples.
    /// </summary>
    private RowSample UnconvertibleKeys(OldTable source, string column)
    {
        var v = SqlIdentifier.Quote(column);
        return RowSample.Values(connection, $"{oldSchema}.{SqlIdentifier.Quote(source.Name)}", $"{v} IS NULL OR NOT ({Planner.Survives(v, SqlType.Integer)})", v);
    }

    /// <summary>Old values of <paramref name="column"/> that do not survive conversion to <paramref name="target"/>, with up to five sample rowids.</summary>
    private RowSample LossyConversions(OldTable source, string column, SqlType target) =>
        RowSample.RowIds(connection, $"{oldSchema}.{SqlIdentifier.Quote(source.Name)}", $"{SqlIdentifier.Quote(column)} IS NOT NULL AND NOT ({Planner.Survives(SqlIdentifier.Quote(column), target)})");
}
