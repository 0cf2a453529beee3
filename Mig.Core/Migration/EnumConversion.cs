using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// A column that moves between an enum's two stored forms ([StoreAsText], docs/dsl.md): integer to
/// name or name to integer, through the enum's members. One CASE expression does it, and copy,
/// replay, verify and the plan's checks all use it, so they agree on every value. A value with no
/// member becomes NULL (or the column's default): a loss the plan reports with its rowids.
/// </summary>
internal static class EnumConversion
{
    /// <summary>The enum a new column converts by from an old column of the other form, or null when it is not such a move.</summary>
    public static EnumModel? Between(ColumnModel column, OldColumn from, IReadOnlyList<EnumModel> enums)
    {
        var oldType = Planner.Affinity(from.DeclaredType);
        var moves = (column.Kind, oldType) is (ValueKind.EnumName, SqlType.Integer) or (ValueKind.Enum, SqlType.Text);
        return moves ? enums.FirstOrDefault(e => e.ClrType == column.ClrType) : null;
    }

    /// <summary>What the plan says: "integer -> enum name (Color)".</summary>
    public static string Describe(ColumnModel column, EnumModel e) =>
        $"{(column.Kind == ValueKind.EnumName ? "integer -> enum name" : "enum name -> integer")} ({Planner.ShortName(e.ClrType)})";

    /// <summary>
    /// The new value of <paramref name="oldValue"/>: <c>CASE v WHEN 0 THEN 'Red' ... END</c> to names (one
    /// name per value, the first declared, as generated code writes), <c>CASE v WHEN 'Red' THEN 0 ... END</c>
    /// to integers (every name, aliases too). NULL and a value with no member give NULL.
    /// </summary>
    public static string Expression(ColumnModel column, EnumModel e, string oldValue)
    {
        var arms = column.Kind == ValueKind.EnumName
            ? e.Canonical.Select(m => $" WHEN {Integer(m.Value)} THEN {EnumModel.Text(m.Name)}")
            : e.Members.Select(m => $" WHEN {EnumModel.Text(m.Name)} THEN {Integer(m.Value)}");
        var list = string.Concat(arms);
        return list.Length == 0 ? "NULL" : $"CASE {oldValue}{list} END";
    }

    /// <summary>
    /// Old values with no member, as a loss with up to five rowids (they become NULL or the default), or,
    /// for a NOT NULL column without a default, MIG0075: there is nothing to put in their place.
    /// </summary>
    public static void Check(SqliteConnection connection, string oldSchema, TableModel table, OldTable source, ColumnModel column, OldColumn from, EnumModel e,
        List<PlanError> errors, List<DataLoss> losses)
    {
        var v = SqlIdentifier.Quote(from.Name);
        var where = $"{v} IS NOT NULL AND ({Expression(column, e, v)}) IS NULL";
        var tableSql = $"{oldSchema}.{SqlIdentifier.Quote(source.Name)}";
        var unknown = RowSample.Values(connection, tableSql, where, v);
        var count = unknown.Count;
        if (count == 0) return;
        var rows = unknown.List;
        var name = Planner.ShortName(e.ClrType);
        var fallback = column.Default ?? (column.DefaultExpression is { } x ? $"({x})" : null);
        if (column.NotNull && fallback is null)
            errors.Add(new PlanError(MigCode.UnknownEnumValue,
                $"{count} value(s) of {source.Name}.{from.Name} name no member of {name} ({rows}), so {Describe(column, e)} has nothing to put in the NOT NULL column {table.Name}.{column.Name}. " +
                $"-p:MigAllowDataLoss=true does not apply; nothing was changed. Correct these rows in the old file, add the missing member to {name}, " +
                $"or give {Planner.ShortName(table.ClrType)}.{column.Property} a [Default] or make it nullable; then run MigPlan again."));
        else
            losses.Add(new DataLoss(source.Name, from.Name, count,
                $"{count} value(s) of {source.Name}.{from.Name} name no member of {name} and become {fallback ?? "NULL"} ({Describe(column, e)}; {rows})"));
    }

    private static string Integer(long v) => v.ToString(CultureInfo.InvariantCulture);
}
