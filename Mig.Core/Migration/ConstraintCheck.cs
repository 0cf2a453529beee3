using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Schema;

namespace Mig.Migration;

/// <summary>
/// The new table's constraints that old rows may break, checked on the rows as the copy writes them
/// (the old columns under their new names, defaults filled): a [Check] (MIG0073), a value a [Strict]
/// column refuses (MIG0074), a repeat of a partial [Unique] among the rows its Where selects (MIG0053).
/// The copy would fail on them; Mig does not change or drop rows to make them fit.
/// </summary>
internal static class ConstraintCheck
{
    public static IEnumerable<PlanError> Find(SqliteConnection connection, string schema, TableModel table, OldTable source, IReadOnlyList<ColumnPlan> columns)
    {
        var image = $"(SELECT rowid AS \"_mig_rowid\", {string.Join(", ", columns.Select(c => $"{Copier.ValueExpression(c, c.Source is null ? "NULL" : SqlIdentifier.Quote(c.Source))} AS {SqlIdentifier.Quote(c.Column.Name)}"))} " +
                    $"FROM {schema}.{SqlIdentifier.Quote(source.Name)})";
        var checks = columns.SelectMany(c => c.Column.Checks).Concat(table.Checks);
        foreach (var check in checks)
            if (RowSample.RowIds(connection, image, $"NOT ({check})", "\"_mig_rowid\"") is { Count: > 0 } v)
                yield return new PlanError(MigCode.CheckViolated,
                    $"{v.Count} old row(s) of {source.Name} break the new CHECK ({check}) of {table.Name} ({v.RowIdList}). Mig does not change or drop rows to fit, and -p:MigAllowDataLoss=true does not apply; nothing was changed. " +
                    $"Correct these rows in the old file, or change the check in {Planner.ShortName(table.ClrType)}; then run MigPlan again.");
        if (table.Strict)
            foreach (var c in columns.Where(c => c.Source is not null))
                if (RowSample.RowIds(connection, image, Refused(SqlIdentifier.Quote(c.Column.Name), c.Column.Type), "\"_mig_rowid\"") is { Count: > 0 } v)
                    yield return new PlanError(MigCode.StrictTypeRefused,
                        $"{v.Count} old value(s) of {source.Name}.{c.Source} are not {TypeMapping.Keyword(c.Column.Type)} values, which the STRICT table {table.Name} refuses ({v.RowIdList}). Nothing was changed. " +
                        $"Correct them in the old file, or drop [Strict] from {Planner.ShortName(table.ClrType)}; then run MigPlan again.");
        foreach (var index in table.Indexes.Where(i => i.Unique && i.Where is not null))
            if (PartialRepeats(connection, image, index) is { } error) yield return error with { Message = $"{table.Name}: {error.Message}" };
    }

    /// <summary>
    /// True where a STRICT column would refuse the value. Conservative for INTEGER and REAL (a text that
    /// SQLite would still coerce, like ' 12', is reported): a false alarm costs a correction, a miss a failed copy.
    /// </summary>
    private static string Refused(string v, SqlType type) => type switch
    {
        SqlType.Integer or SqlType.Real => $"{v} IS NOT NULL AND NOT ({Planner.Survives(v, type)})",
        SqlType.Text => $"typeof({v}) = 'blob'",
        _ => $"typeof({v}) NOT IN ('null', 'blob')",
    };

    private static PlanError? PartialRepeats(SqliteConnection connection, string image, IndexModel index)
    {
        var keys = string.Join(", ", index.Columns.Select(SqlIdentifier.Quote));
        var grouped = $"SELECT {keys}, count(*) AS n FROM {image} WHERE ({index.Where}) AND {string.Join(" AND ", index.Columns.Select(c => $"{SqlIdentifier.Quote(c)} IS NOT NULL"))} GROUP BY {keys} HAVING count(*) > 1";
        var groups = SqliteFile.Scalar(connection, $"SELECT count(*) FROM ({grouped})");
        if (groups == 0) return null;
        return new PlanError(MigCode.DuplicateKey,
            $"({string.Join(", ", index.Columns)}) must be unique where {index.Where} in the new schema, but {groups.ToString(CultureInfo.InvariantCulture)} value(s) repeat among the old rows that match. " +
            "Mig does not choose which row survives, and -p:MigAllowDataLoss=true does not apply; nothing was changed. Make these rows unique in the old file, or change the [Unique]; then run MigPlan again.");
    }
}
