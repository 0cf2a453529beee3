using Microsoft.Data.Sqlite;
using Mig.Schema;

namespace Mig.Migration;

/// <summary>
/// The plan of a migration turned round, for MigRevert: each old table that a new table took its rows from
/// gets them back, column by column through the same correspondence (a renamed column back under its old
/// name, a converted value converted back). The <see cref="Replayer"/> runs it with the old file as its
/// target and the new file attached as its source. Columns only the old schema has keep their values when
/// a row is updated and take their default (or NULL) when a row is inserted (a deleted rowid in use again too); what only the new schema has
/// (tables, columns, values a conversion back does not keep) cannot go back and is a loss (<see cref="Losses"/>).
/// </summary>
internal static class InversePlan
{
    /// <summary>The inverse of <paramref name="forward"/> (planned from the old file to the new schema).</summary>
    public static MigrationPlan Create(MigrationPlan forward)
    {
        var tables = new List<TablePlan>();
        foreach (var t in forward.Tables.Where(t => t.Source is not null))
        {
            if (t.RowIdChanges)
                throw new MigOperationException(MigCode.RevertUnsupported,
                    $"MigRevert cannot write {t.Table.Name} back into {t.Source!.Name}: the migration made its key {t.KeyColumn.Column.Name} the rowid, so the rows of the two files are not matched by rowid any more. " +
                    "Nothing was changed; the new file keeps serving. To go back, restore the old file from a backup (writes since cutover are in the new file only).");
            var s = t.Source!;
            var columns = new List<ColumnPlan>();
            foreach (var oc in s.Columns.Where(c => !c.Generated))
            {
                var from = t.Columns.FirstOrDefault(c => c.Source is not null && SqlNameComparer.Same(c.Source, oc.Name));
                columns.Add(from is null
                    ? new ColumnPlan(ColumnOf(oc), null, oc.Default is null ? FillKind.Null : FillKind.Default, "only in the old schema")
                    : from.Fill == FillKind.EnumConvert
                        // An enum's name back to its integer (or back): through its members, as forward; a CAST would turn 'Red' into 0.
                        ? new ColumnPlan(ColumnOf(oc) with { Kind = from.Column.Kind == ValueKind.EnumName ? ValueKind.Enum : ValueKind.EnumName, ClrType = from.Column.ClrType },
                            from.Column.Name, FillKind.EnumConvert, $"back from {from.Column.Name}") { Enum = from.Enum }
                        : new ColumnPlan(ColumnOf(oc), from.Column.Name, from.Fill == FillKind.Copy ? FillKind.Copy : FillKind.Convert, $"back from {from.Column.Name}"));
            }
            var table = new TableModel(s.Name, "", [.. columns.Select(c => c.Column)], s.PrimaryKey, false, [], [], [], null, null, []);
            // The old rowid alias takes its value from the new column it was copied into, which holds the same rowid.
            var aliasFromSource = s.RowIdAlias is { } alias && columns.Any(c => c.Source is not null && SqlNameComparer.Same(c.Column.Name, alias));
            // The keys the new file keeps unique: values that repeat in none of them need no check (RequireKeysUnique).
            var source = new OldTable(t.Table.Name, [], t.Table.PrimaryKey, false, 0) { UniqueKeys = t.Table.PrimaryKey.Count > 0 ? [.. t.Table.Uniques.Prepend(t.Table.PrimaryKey)] : t.Table.Uniques };
            tables.Add(new TablePlan(table, source, $"back from {t.Table.Name}", columns, aliasFromSource));
        }
        return new MigrationPlan(tables, [], [], [], []);
    }

    /// <summary>An old column as the model of a column the inverse plan writes.</summary>
    private static ColumnModel ColumnOf(OldColumn c) =>
        new(c.Name, c.Name, Planner.Affinity(c.DeclaredType), ValueKind.String, "", c.NotNull, c.Default, null, null, null);

    /// <summary>
    /// What writing the new file's rows back would lose, among the rows its writes touched since cutover (the
    /// new file's log, attached as <c>old</c> on <paramref name="c"/>, whose main file is the old file): rows of
    /// tables only the new schema has, values in columns only it has that differ from what the migration filled
    /// them with, and values the old column cannot hold as they are (the conversion back does not keep them, or a
    /// NULL where the old column is NOT NULL). Rows a seed of the migration added (<paramref name="seeded"/> of a new
    /// table: their rowids) hold nothing the new service wrote unless its writes changed them.
    /// </summary>
    // Long: one query per kind of loss, each with its own words for the operator.
    public static IReadOnlyList<DataLoss> Losses(SqliteConnection c, MigrationPlan forward, MigrationPlan inverse, Func<string, string> seeded)
    {
        var losses = new List<DataLoss>();
        foreach (var t in forward.Tables)
        {
            var name = SqlIdentifier.Quote(t.Table.Name);
            var seeds = seeded(t.Table.Name);
            var logged = $"rowid IN (SELECT row_id FROM old.{Protocol.LogTable} WHERE table_name = {Capture.Literal(t.Table.Name)}{(seeds.Length == 0 ? "" : $" AND row_id NOT IN ({seeds})")})";
            if (t.Source is null)
            {
                var rows = SqliteFile.Scalar(c, $"SELECT count(*) FROM old.{name} WHERE {logged}");
                if (rows > 0)
                    losses.Add(new DataLoss(t.Table.Name, null, rows, $"table {t.Table.Name} exists only in the new schema: {rows} rows written since cutover would be lost"));
                continue;
            }
            var back = inverse.Tables.First(i => SqlNameComparer.Same(i.Source!.Name, t.Table.Name));
            foreach (var col in t.Columns)
            {
                var column = $"n.{SqlIdentifier.Quote(col.Column.Name)}";
                string changed;
                string what;
                if (col.Source is null)
                {
                    // A column the old schema lacks holds nothing of its own until a write changes it from its fill.
                    // A per-row fill ([DefaultExpr], [MigrateFrom]) cannot be told from a value the new service wrote: every logged row counts.
                    changed = col.Fill is FillKind.DefaultExpression or FillKind.Computed ? "1" : $"{column} IS NOT {Copier.ValueExpression(col, "NULL")}";
                    what = $"column {t.Table.Name}.{col.Column.Name} exists only in the new schema";
                }
                else
                {
                    var inv = back.Columns.First(i => SqlNameComparer.Same(i.Column.Name, col.Source));
                    // A value is kept when the old column stores it as it is, or converted and back to itself ('12' and 12, 2.0 and 2).
                    changed = inv.Fill == FillKind.EnumConvert
                        ? $"{column} IS NOT NULL AND ({EnumConversion.Expression(inv.Column, inv.Enum!, column)}) IS NULL"
                        : inv.Fill == FillKind.Convert
                        ? $"CASE WHEN {column} IS NULL THEN ({Copier.ValueExpression(inv, column)}) IS NOT NULL ELSE NOT ({Planner.Survives(column, inv.Column.Type)}) END"
                        : $"({Copier.ValueExpression(inv, column)}) IS NOT {column}";
                    what = $"values of {t.Table.Name}.{col.Column.Name} do not survive the conversion back to {t.Source.Name}.{col.Source}";
                }
                var count = SqliteFile.Scalar(c, $"SELECT count(*) FROM old.{name} AS n WHERE n.{logged} AND {changed}");
                if (count > 0) losses.Add(new DataLoss(t.Table.Name, col.Column.Name, count, $"{what}: {count} rows written since cutover would lose it"));
            }
        }
        return losses;
    }

    /// <summary>
    /// Refuses (MIG0053) values that repeat, among the new file's rows, in a key the old schema keeps unique and the new
    /// one does not: written back, a REPLACE would silently drop rows the new file keeps, and the verification would then
    /// fail after the pause however often the revert ran. Keys with a column only the old schema has, and partial unique
    /// indexes, are checked on the old table as the write-back will leave it (<see cref="WrittenBackKeyCheck"/>); the old
    /// rowid alias comes back as the new rowid, unique as it is.
    /// </summary>
    public static void RequireKeysUnique(SqliteConnection c, MigrationPlan forward, MigrationPlan inverse, bool paused)
    {
        var findings = new List<string>();
        var from = long.Parse(Capture.Info(c, OldInfoKeys.RevertCheckpoint, "main") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var t in forward.Tables.Where(t => t.Source is not null))
        {
            var back = inverse.Tables.First(i => SqlNameComparer.Same(i.Source!.Name, t.Table.Name));
            // Every unique index of the old table, with its collations.
            foreach (var key in t.Source!.ConflictKeys.Where(k => t.Source.RowIdAlias is not { } alias || !k.Columns.Any(c => SqlNameComparer.Same(c.Name, alias))))
            {
                var columns = key.Columns.Select(k => back.Columns.FirstOrDefault(p => SqlNameComparer.Same(p.Column.Name, k.Name))).ToList();
                // A collation of the application's own cannot be applied here; the verification after the pause still compares every row.
                if (columns.Any(p => p is null) || key.Columns.Any(k => k.Collation.ToUpperInvariant() is not ("BINARY" or "NOCASE" or "RTRIM"))) continue;
                if (key.Partial || columns.Any(p => p!.Source is null))
                {
                    if (WrittenBackKeyCheck.Find(c, back, key, from) is { } finding) findings.Add(finding);
                }
                else if (DuplicateKeyCheck.Find(c, "old", back.Table, back.Source!, columns!, back: true, [.. key.Columns.Select(k => k.Collation)]) is { } error) findings.Add(error.Finding!);
            }
        }
        if (findings.Count == 0) return;
        const string fix = "make those rows unique through the new file (change or delete them; where the repeat comes from a column only the old schema has, " +
            "which new rows get by its default, only deleting helps), then run MigRevert again.";
        throw new MigOperationException(MigCode.DuplicateKey,
            $"MigRevert cannot write back rows whose values repeat in a key the old schema keeps unique: {string.Join("; ", findings)}. Written back, one of each would replace the others. " +
            "-p:MigAllowDataLoss=true does not apply: Mig does not choose which row survives. " +
            (paused
                ? $"Writes to the new file are paused. Run MigReset (the new service writes again), {fix}"
                : $"Nothing was changed; the new file keeps serving: {fix}"));
    }

    /// <summary>
    /// Refuses (MIG0081) rows inserted into the new file since cutover that the old table cannot take: a column only
    /// the old schema has is NOT NULL without a default, so an inserted row has no value for it.
    /// </summary>
    public static void RequireInsertable(SqliteConnection c, MigrationPlan inverse)
    {
        foreach (var t in inverse.Tables)
            foreach (var col in t.Columns.Where(x => x.Source is null && x.Column.NotNull && x.Column.Default is null))
            {
                var source = SqlIdentifier.Quote(t.Source!.Name);
                var rows = SqliteFile.Scalar(c,
                    $"SELECT count(*) FROM old.{source} AS n WHERE n.rowid IN (SELECT row_id FROM old.{Protocol.LogTable} WHERE table_name = {Capture.Literal(t.Source.Name)}) " +
                    $"AND NOT EXISTS (SELECT 1 FROM main.{SqlIdentifier.Quote(t.Table.Name)} AS o WHERE o.rowid = n.rowid)");
                if (rows > 0)
                    throw new MigOperationException(MigCode.RevertUnsupported,
                        $"MigRevert cannot write {rows} rows inserted into {t.Source.Name} since cutover back into {t.Table.Name}: its column {col.Column.Name} exists only in the old schema, is NOT NULL and has no default. " +
                        "Nothing was changed by this check. To go back, restore the old file from a backup (writes since cutover are in the new file only), or give that column a value another way.");
            }
    }
}
