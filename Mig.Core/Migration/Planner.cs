using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// Derives the copy plan (hot-migration.md, Deriving the copy plan) from the old
/// file, read on <c>old</c> of a connection, and the new model. Reads only.
/// </summary>
internal static class Planner
{
    /// <summary>A new NOT NULL column without a default on a table with rows.</summary>
    public const string NotNullWithoutDefaultCode = "MIG0043";
    /// <summary>Two new tables claim one old table, or a new INTEGER PRIMARY KEY comes from neither the old rowid nor the old key (online).</summary>
    public const string AmbiguousMatchCode = "MIG0051";
    /// <summary>An old table capture cannot follow by rowid: WITHOUT ROWID, or a column whose name Mig needs for the rowid.</summary>
    public const string WithoutRowIdCode = "MIG0050";
    /// <summary>Old rows that would share a value of a key the new schema makes unique.</summary>
    public const string DuplicateKeyCode = "MIG0053";

    /// <summary>
    /// The plan for migrating the database attached as <paramref name="oldSchema"/> to <paramref name="model"/>.
    /// With <paramref name="analyze"/> false it only maps tables and columns (what drain and verify need),
    /// skipping the scans that count rows, losses and NULLs: those run while writes are paused.
    /// </summary>
    public static MigrationPlan Create(SqliteConnection connection, SchemaModel model, string oldSchema = "old", bool online = true, bool analyze = true)
    {
        var old = Introspector.Tables(connection, oldSchema, countRows: analyze);
        var byName = old.ToDictionary(t => t.Name, SqlNameComparer.Instance);
        var errors = new List<PlanError>();
        var losses = new List<DataLoss>();
        var suggestions = new List<string>();
        var claimed = new Dictionary<string, string>(SqlNameComparer.Instance);
        var tables = new List<TablePlan>();

        foreach (var table in model.Tables)
        {
            OldTable? source = null;
            var reason = "new table";
            if (byName.TryGetValue(table.Name, out var same)) { source = same; reason = "same name"; }
            else if (table.RenamedFrom is { } from && byName.TryGetValue(from, out var renamed)) { source = renamed; reason = $"[RenamedFrom(\"{from}\")]"; }
            if (source is not null && !claimed.TryAdd(source.Name, table.Name))
            {
                errors.Add(new PlanError(AmbiguousMatchCode, $"Both {claimed[source.Name]} and {table.Name} would take the rows of the old table {source.Name}; keep one [RenamedFrom]."));
                continue;
            }
            // A column named "rowid" (in any case) would hide the rowid Mig copies, captures and replays by.
            if (source?.Columns.FirstOrDefault(c => Naming.HidesRowId(c.Name)) is { } hiding)
                errors.Add(new PlanError(WithoutRowIdCode, $"The old table {source.Name} has a column named {hiding.Name}, a name Mig needs for the rowid it copies, captures and replays rows by, so it cannot migrate the table. Rename the column in the old database (ALTER TABLE {source.Name} RENAME COLUMN {hiding.Name} TO ...) and declare [RenamedFrom(\"...\")] on the new property."));
            if (online && source is { ExpressionUniqueIndexes.Count: > 0 })
                errors.Add(new PlanError(WithoutRowIdCode, $"The old table {source.Name} has a unique index on an expression ({string.Join(", ", source.ExpressionUniqueIndexes)}); a REPLACE through it deletes rows without a trigger firing, and Mig cannot tell which, so it cannot capture this table online. Migrate offline (-p:MigOffline=true), or replace the index by one on plain columns."));
            if (source is { Kind: not "table" })
                errors.Add(new PlanError(WithoutRowIdCode, $"The old table {source.Name} is a {(source.Kind == "virtual" ? "virtual table (a module such as FTS5)" : "virtual table's storage (a shadow table)")}; Mig can neither capture its writes nor create it from the schema. Give the new table another name (the old one is then dropped with its data, which the plan reports), or migrate the file by hand."));
            if (source is { WithoutRowId: true })
                errors.Add(new PlanError(WithoutRowIdCode, $"The old table {source.Name} is WITHOUT ROWID; Mig captures and replays writes by rowid and cannot migrate it. Migrate it offline after converting it to a rowid table."));
            tables.Add(PlanTable(connection, oldSchema, table, source, reason, analyze ? errors : [], analyze ? losses : [], suggestions, online, analyze));
        }

        var dropped = old.Where(t => !claimed.ContainsKey(t.Name)).ToList();
        foreach (var d in dropped.Where(d => d.RowCount > 0))
            losses.Add(new DataLoss(d.Name, null, d.RowCount, $"table {d.Name} is dropped with its {d.RowCount} rows"));
        foreach (var d in dropped)
        {
            var candidate = model.Tables.FirstOrDefault(t => t.RenamedFrom is null && !byName.ContainsKey(t.Name)
                && t.Columns.Count == d.Columns.Count && t.Columns.Select(c => c.Name).SequenceEqual(d.Columns.Select(c => c.Name), SqlNameComparer.Instance));
            if (candidate is not null)
                suggestions.Add($"The old table {d.Name} and the new table {candidate.Name} have the same columns. If it was renamed, add [RenamedFrom(\"{d.Name}\")] to {ShortName(candidate.ClrType)}; without it the plan drops {d.Name} and creates {candidate.Name} empty.");
        }
        return new MigrationPlan(tables, dropped, losses, errors, suggestions);
    }

    private static TablePlan PlanTable(SqliteConnection connection, string oldSchema, TableModel table, OldTable? source, string reason,
        List<PlanError> errors, List<DataLoss> losses, List<string> suggestions, bool online, bool analyze)
    {
        var columns = new List<ColumnPlan>();
        var used = new HashSet<string>(SqlNameComparer.Instance);
        var rowIdColumn = RowIdColumn(table);
        foreach (var c in table.Columns)
        {
            OldColumn? from = null;
            var why = "new column";
            if (source is not null)
            {
                from = source.Columns.FirstOrDefault(o => SqlNameComparer.Same(o.Name, c.Name));
                if (from is not null) why = "same name";
                else if (c.RenamedFrom is { } r && source.Columns.FirstOrDefault(o => SqlNameComparer.Same(o.Name, r)) is { } renamed)
                { from = renamed; why = $"[RenamedFrom(\"{r}\")]"; }
            }
            if (from is not null && used.Add(from.Name))
            {
                // An old value that is not an integer cannot become the new rowid: CAST would change the
                // key (and so what references it) and a plain copy fails with "datatype mismatch". That is
                // a plan error below, not a loss to accept or a missing default.
                var becomesRowId = c == rowIdColumn && !IsRowId(source!, from);
                var affinity = Affinity(from.DeclaredType);
                // A column without a declared type stores values as given; a typed new column converts them
                // on insert ('007' becomes 7 in an INTEGER column), so that is a conversion, checked like any other.
                if (affinity == c.Type)
                {
                    columns.Add(new ColumnPlan(c, from.Name, FillKind.Copy, why));
                }
                else
                {
                    columns.Add(new ColumnPlan(c, from.Name, FillKind.Convert, $"{why}, {from.DeclaredType} -> {SqlValues.Keyword(c.Type)}"));
                    var lossy = analyze && !becomesRowId ? LossyConversions(connection, oldSchema, source!, from.Name, c.Type) : (0, []);
                    if (lossy.Count > 0)
                        losses.Add(new DataLoss(source!.Name, from.Name, lossy.Count,
                            $"{lossy.Count} value(s) of {source.Name}.{from.Name} do not survive {from.DeclaredType} -> {SqlValues.Keyword(c.Type)} (rowids {string.Join(", ", lossy.Sample)})"));
                }
                if (analyze && becomesRowId)
                {
                    var (count, sample) = UnconvertibleKeys(connection, oldSchema, source!, from.Name);
                    if (count > 0)
                        errors.Add(new PlanError(MigrationCodes.UnconvertibleKeyCode,
                            $"{table.Name}.{c.Name} becomes the table's INTEGER PRIMARY KEY (its rowid) from {source!.Name}.{from.Name}, but {count} row(s) hold a key that is not an integer " +
                            $"and cannot become a rowid without changing ({string.Join(", ", sample)}{(count > sample.Count ? ", ..." : "")}). Mig does not guess a key, and -p:MigAllowDataLoss=true does not apply; " +
                            $"nothing was changed. Correct these keys in the old file (an integer each, '007' as 7, together with the rows that reference them), " +
                            $"or keep {ShortName(table.ClrType)}.{c.Property} of the old key's type; then run MigPlan again."));
                }
                else if (analyze && c.NotNull && !from.NotNull)
                {
                    var nulls = Count(connection, $"SELECT count(*) FROM {oldSchema}.{SqlIdentifier.Quote(source!.Name)} WHERE {SqlIdentifier.Quote(from.Name)} IS NULL");
                    if (nulls > 0 && c.Default is null && c.DefaultExpression is null)
                        errors.Add(new PlanError(NotNullWithoutDefaultCode,
                            $"{table.Name}.{c.Name} becomes NOT NULL but {nulls} row(s) of {source.Name}.{from.Name} are NULL. Add [Default(nameof({c.Property}), ...)] to fill them, or keep the property nullable."));
                    // Online, the old service may still write NULL there (not to a rowid, which is never NULL);
                    // replay would then fail with writes paused.
                    // A kept key that becomes the new rowid is exempt: replay stops on a NULL key with
                    // MIG0052 (IdMapping), it cannot be defaulted, and a hand-written INT PRIMARY KEY rarely says NOT NULL.
                    else if (online && c.Default is null && c.DefaultExpression is null && !IsRowId(source!, from) && !BecomesRowId(table, source!, c, from))
                        errors.Add(new PlanError(NotNullWithoutDefaultCode,
                            $"{table.Name}.{c.Name} becomes NOT NULL, but the old service may write NULL to {source.Name}.{from.Name} while the migration records, and that write could not be replayed. Add [Default(nameof({c.Property}), ...)], or migrate offline (-p:MigOffline=true)."));
                }
                continue;
            }
            var (fill, fillWhy) = c.DefaultExpression is not null ? (FillKind.DefaultExpression, $"new column, [DefaultExpr] {c.DefaultExpression}")
                : c.Default is not null ? (FillKind.Default, $"new column, [Default] {c.Default}")
                : (FillKind.Null, "new column, NULL");
            if (fill == FillKind.Null && c.NotNull && source is { RowCount: > 0 })
                errors.Add(new PlanError(NotNullWithoutDefaultCode,
                    $"{table.Name}.{c.Name} is a new NOT NULL column and {source.Name} has {source.RowCount} row(s) to fill. Add [Default(nameof({c.Property}), ...)] or [DefaultExpr(...)], or make the property nullable."));
            // An empty table is no excuse online: rows the old service inserts while the migration records need a value too.
            else if (fill == FillKind.Null && c.NotNull && source is not null && online)
                errors.Add(new PlanError(NotNullWithoutDefaultCode,
                    $"{table.Name}.{c.Name} is a new NOT NULL column; {source.Name} is empty, but rows the old service inserts while the migration records would have no value for it. Add [Default(nameof({c.Property}), ...)] or [DefaultExpr(...)], make the property nullable, or migrate offline (-p:MigOffline=true)."));
            columns.Add(new ColumnPlan(c, null, fill, fillWhy));
        }

        if (source is not null)
        {
            foreach (var gone in source.Columns.Where(o => !used.Contains(o.Name)))
            {
                // A generated column's values follow from columns the plan reports on its own: dropping it loses nothing.
                var values = !analyze || source.RowCount == 0 || gone.Generated ? 0 : Count(connection, $"SELECT count(*) FROM {oldSchema}.{SqlIdentifier.Quote(source.Name)} WHERE {SqlIdentifier.Quote(gone.Name)} IS NOT NULL");
                if (values > 0)
                    losses.Add(new DataLoss(source.Name, gone.Name, values, $"column {source.Name}.{gone.Name} is dropped with {values} non-null value(s)"));
                var twin = columns.FirstOrDefault(p => p.Source is null && p.Column.RenamedFrom is null && p.Column.Type == Affinity(gone.DeclaredType));
                if (twin is not null)
                    suggestions.Add($"{source.Name}.{gone.Name} disappears and {table.Name}.{twin.Column.Name} is new with the same type. If it was renamed, add [RenamedFrom(\"{gone.Name}\")] to {ShortName(table.ClrType)}.{twin.Column.Property}; without it the plan drops {gone.Name} and fills {twin.Column.Name} ({twin.Reason}).");
            }
        }

        if (analyze && source is { RowCount: > 1 })
            foreach (var key in table.PrimaryKey.Count > 0 ? table.Uniques.Prepend(table.PrimaryKey) : table.Uniques)
                DuplicateKeys(connection, oldSchema, table, source, [.. key.Select(k => columns.First(p => SqlNameComparer.Same(p.Column.Name, k)))], errors);

        // Replay finds rows by rowid. A new INTEGER PRIMARY KEY is the new rowid, so it must
        // carry the old rowid (copied from the old table's own INTEGER PRIMARY KEY), or be
        // derivable from each captured row image (the old key, through _id_mapping).
        var aliasColumn = rowIdColumn;
        var rowIdChanges = false;
        if (aliasColumn is not null && source is not null)
        {
            var plan = columns.First(p => p.Column == aliasColumn);
            var oldAlias = source.RowIdAlias;
            var aliasFromSource = plan.Source is not null && SqlNameComparer.Same(plan.Source, oldAlias);
            // The old key (INT, or numeric TEXT) becomes the rowid: its value is kept, only the rowid
            // changes, and _id_mapping lets replay and verify follow each old rowid to its new one.
            // Any other source is not unique in the old file (or there is none), so a captured write
            // could not be placed without guessing: that still has to run offline.
            rowIdChanges = !aliasFromSource && plan.Source is not null && source.PrimaryKey.Count == 1
                && SqlNameComparer.Same(plan.Source, source.PrimaryKey[0]);
            // Online even when the old table is empty: rows inserted while recording need placing too.
            if (!aliasFromSource && !rowIdChanges && online)
                errors.Add(new PlanError(AmbiguousMatchCode,
                    $"{table.Name}.{aliasColumn.Name} becomes the table's INTEGER PRIMARY KEY (its rowid) but comes neither from the old table's rowid nor from its primary key, so writes captured during an online migration could not be matched to their rows. Migrate this change offline (-p:MigOffline=true)."));
        }
        return new TablePlan(table, source, reason, columns, aliasColumn is not null) { RowIdChanges = rowIdChanges };
    }

    /// <summary>
    /// The new table's rowid alias: its single INTEGER PRIMARY KEY. A key that is also a foreign key
    /// (an extension table, dsl.md) is one too: SQLite makes any column declared exactly INTEGER
    /// PRIMARY KEY the rowid, and Ddl writes <c>INTEGER NOT NULL PRIMARY KEY</c> for it.
    /// </summary>
    private static ColumnModel? RowIdColumn(TableModel table) =>
        table.PrimaryKey.Count == 1 && table.FindColumn(table.PrimaryKey[0]) is { Type: SqlType.Integer } k ? k : null;

    private static bool BecomesRowId(TableModel table, OldTable source, ColumnModel column, OldColumn from) =>
        column == RowIdColumn(table)
        && source.PrimaryKey.Count == 1 && SqlNameComparer.Same(source.PrimaryKey[0], from.Name);

    /// <summary>
    /// Old keys that no INTEGER rowid can hold as they are (what replay refuses too, <see cref="IdMapping"/>):
    /// NULL, non-integral REALs, text that does not read back as the same integer ('abc', '007'). With up to five "rowid r: value" samples.
    /// </summary>
    private static (long Count, IReadOnlyList<string> Sample) UnconvertibleKeys(SqliteConnection connection, string schema, OldTable table, string column)
    {
        var v = SqlIdentifier.Quote(column);
        var where = $"{v} IS NULL OR NOT ({Survives(v, SqlType.Integer)})";
        var from = $"{schema}.{SqlIdentifier.Quote(table.Name)}";
        var count = Count(connection, $"SELECT count(*) FROM {from} WHERE {where}");
        var sample = new List<string>();
        if (count > 0)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT rowid, quote({v}) FROM {from} WHERE {where} ORDER BY rowid LIMIT 5";
            using var r = cmd.ExecuteReader();
            while (r.Read()) sample.Add($"rowid {r.GetInt64(0).ToString(CultureInfo.InvariantCulture)}: {r.GetString(1)}");
        }
        return (count, sample);
    }

    /// <summary>
    /// Adds MIG0053 when old rows would share a value of a key the new table makes unique (a new
    /// [Unique], a new primary key, a key from a plain column, a unique column filled from one default):
    /// the copy would fail on it, and Mig does not choose which row survives. Values are compared as the
    /// copy writes them; rows with a NULL in the key are exempt, as UNIQUE lets NULLs repeat. No scan when
    /// the old file already keeps a subset of the key's copied columns unique.
    /// </summary>
    private static void DuplicateKeys(SqliteConnection connection, string schema, TableModel table, OldTable source, IReadOnlyList<ColumnPlan> key, List<PlanError> errors)
    {
        var copied = key.Where(p => p.Fill == FillKind.Copy).Select(p => p.Source!).ToHashSet(SqlNameComparer.Instance);
        if (source.UniqueKeys.Any(u => u.All(copied.Contains))) return;
        var values = key.Select(p => Copier.ValueExpression(p, p.Source is null ? "NULL" : SqlIdentifier.Quote(p.Source))).ToList();
        var from = $"{schema}.{SqlIdentifier.Quote(source.Name)}";
        var grouped = $"SELECT {string.Join(", ", values.Select((v, i) => $"{v} AS k{i}"))}, count(*) AS n, min(rowid) AS first " +
                      $"FROM {from} WHERE {string.Join(" AND ", values.Select(v => $"{v} IS NOT NULL"))} " +
                      $"GROUP BY {string.Join(", ", values.Select((_, i) => $"k{i}"))} HAVING count(*) > 1";
        var groups = Count(connection, $"SELECT count(*) FROM ({grouped})");
        if (groups == 0) return;
        var sample = new List<string>();
        var repeated = new List<(object[] Values, string Shown, long Rows)>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT {string.Join(", ", values.Select((_, i) => $"k{i}, quote(k{i})"))}, n FROM ({grouped}) ORDER BY n DESC, first LIMIT 3";
            using var r = cmd.ExecuteReader();
            while (r.Read())
                repeated.Add(([.. values.Select((_, i) => r.GetValue(2 * i))], string.Join(", ", values.Select((_, i) => r.GetString(2 * i + 1))), r.GetInt64(2 * values.Count)));
        }
        foreach (var (keyValues, shown, rows) in repeated)
        {
            // A few rowids per value, not all of them: a million rows may share one default.
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT rowid FROM {from} WHERE {string.Join(" AND ", values.Select((v, i) => $"{v} = @k{i}"))} ORDER BY rowid LIMIT 6";
            for (var i = 0; i < keyValues.Length; i++) cmd.Parameters.AddWithValue($"@k{i}", keyValues[i]);
            var rowids = new List<string>();
            using (var r = cmd.ExecuteReader())
                while (r.Read()) rowids.Add(r.GetInt64(0).ToString(CultureInfo.InvariantCulture));
            sample.Add($"{shown} in {rows.ToString(CultureInfo.InvariantCulture)} rows (rowids {string.Join(", ", rowids.Take(5))}{(rowids.Count > 5 ? ", ..." : "")})");
        }
        var names = string.Join(", ", key.Select(p => p.Column.Name));
        var sources = string.Join(", ", key.Select(p => p.Source is null ? $"{p.Column.Name} ({p.Reason})" : $"{source.Name}.{p.Source}"));
        var finding = $"{table.Name} ({names}) must be unique in the new schema, but {groups.ToString(CultureInfo.InvariantCulture)} value(s) repeat in the old rows it comes from ({sources}): " +
                      $"{string.Join("; ", sample)}{(groups > sample.Count ? "; ..." : "")}";
        errors.Add(new PlanError(DuplicateKeyCode,
            $"{finding}. Mig does not choose which row survives, and -p:MigAllowDataLoss=true does not apply; nothing was changed. " +
            $"Make these rows unique in the old file (or delete the extra ones), or drop the new key from {ShortName(table.ClrType)}; then run MigPlan again.") { Finding = finding });
    }

    private static bool IsRowId(OldTable table, OldColumn column) => SqlNameComparer.Same(table.RowIdAlias, column.Name);

    private static (long Count, IReadOnlyList<long> Sample) LossyConversions(SqliteConnection connection, string schema, OldTable table, string column, SqlType target)
    {
        var where = $"{SqlIdentifier.Quote(column)} IS NOT NULL AND NOT ({Survives(SqlIdentifier.Quote(column), target)})";
        var from = $"{schema}.{SqlIdentifier.Quote(table.Name)}";
        var count = Count(connection, $"SELECT count(*) FROM {from} WHERE {where}");
        var sample = new List<long>();
        if (count > 0)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT rowid FROM {from} WHERE {where} ORDER BY rowid LIMIT 5";
            using var r = cmd.ExecuteReader();
            while (r.Read()) sample.Add(r.GetInt64(0));
        }
        return (count, sample);
    }

    /// <summary>
    /// SQL that is true when the non-null value <paramref name="v"/> converts to
    /// <paramref name="target"/> and back to itself: '12' and 2.0 survive INTEGER,
    /// 'abc' and 1.5 do not; a REAL survives TEXT only if its text reads back equal.
    /// </summary>
    internal static string Survives(string v, SqlType target) => target switch
    {
        SqlType.Integer => $"CASE typeof({v}) WHEN 'integer' THEN 1 WHEN 'real' THEN CAST({v} AS INTEGER) = {v} WHEN 'text' THEN CAST(CAST({v} AS INTEGER) AS TEXT) = {v} ELSE 0 END",
        SqlType.Real => $"CASE typeof({v}) WHEN 'real' THEN 1 WHEN 'integer' THEN CAST(CAST({v} AS REAL) AS INTEGER) = {v} WHEN 'text' THEN CAST(CAST({v} AS NUMERIC) AS TEXT) = {v} ELSE 0 END",
        SqlType.Text => $"CASE typeof({v}) WHEN 'text' THEN 1 WHEN 'integer' THEN 1 WHEN 'real' THEN CAST(CAST({v} AS TEXT) AS REAL) = {v} ELSE CAST(CAST({v} AS TEXT) AS BLOB) = {v} END",
        _ => $"CASE typeof({v}) WHEN 'blob' THEN 1 WHEN 'text' THEN 1 ELSE 0 END",
    };

    private static long Count(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>SQLite's column affinity of a declared type (sqlite.org/datatype3.html, 3.1).</summary>
    public static SqlType Affinity(string declared)
    {
        var t = declared.ToUpperInvariant();
        if (t.Contains("INT", StringComparison.Ordinal)) return SqlType.Integer;
        if (t.Contains("CHAR", StringComparison.Ordinal) || t.Contains("CLOB", StringComparison.Ordinal) || t.Contains("TEXT", StringComparison.Ordinal)) return SqlType.Text;
        if (t.Length == 0 || t.Contains("BLOB", StringComparison.Ordinal)) return SqlType.Blob;
        if (t.Contains("REAL", StringComparison.Ordinal) || t.Contains("FLOA", StringComparison.Ordinal) || t.Contains("DOUB", StringComparison.Ordinal)) return SqlType.Real;
        return SqlType.Integer; // NUMERIC affinity stores integers as integers; the closest Mig storage class
    }

    private static string ShortName(string clrType) => clrType[(clrType.LastIndexOfAny(['.', '+']) + 1)..];
}
