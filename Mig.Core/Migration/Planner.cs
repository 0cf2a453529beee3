using Microsoft.Data.Sqlite;
using Mig.Schema;

namespace Mig.Migration;

/// <summary>
/// Derives the copy plan (docs/hot-migration.md, Deriving the copy plan) from the old
/// file, read on <c>old</c> of a connection, and the new model. Reads only. Matches the
/// tables and checks that capture can follow each old table; <see cref="TablePlanner"/>
/// plans the columns and rowid of each.
/// </summary>
internal static class Planner
{
    /// <summary>
    /// The plan for migrating the database attached as <paramref name="oldSchema"/> to <paramref name="model"/>.
    /// With <paramref name="analyze"/> false it only maps tables and columns (what drain and verify need),
    /// skipping the scans that count rows, losses and NULLs: those run while writes are paused.
    /// The old tables <paramref name="ignored"/> names (Litestream's when null) are left out: <see cref="MigrationPlan.Ignored"/>.
    /// </summary>
    public static MigrationPlan Create(SqliteConnection connection, SchemaModel model, string oldSchema = "old", bool online = true, bool analyze = true, IgnoredTables? ignored = null)
    {
        ignored ??= IgnoredTables.Default;
        var leftOut = new List<string>();
        var old = Introspector.Tables(connection, oldSchema, countRows: analyze, ignored, leftOut);
        var byName = old.ToDictionary(t => t.Name, SqlNameComparer.Instance);
        var errors = new List<PlanError>();
        var losses = new List<DataLoss>();
        var suggestions = new List<string>();
        var claimed = new Dictionary<string, string>(SqlNameComparer.Instance);
        var tables = new List<TablePlan>();

        foreach (var table in model.Tables)
        {
            if (ignored.Ignores(table.Name))
            {
                errors.Add(new PlanError(MigCode.IgnoredTableDeclared, $"The schema declares the table {table.Name}, a name of another tool's bookkeeping (Litestream's, or one MigIgnoreTable names), which Mig neither copies nor creates. Rename the table in the schema, or remove the MigIgnoreTable item that names it."));
                continue;
            }
            var (source, reason) = MatchOldTable(table, byName);
            if (source is not null && !claimed.TryAdd(source.Name, table.Name))
            {
                errors.Add(new PlanError(MigCode.AmbiguousMatch, $"Both {claimed[source.Name]} and {table.Name} would take the rows of the old table {source.Name}; keep one [RenamedFrom]."));
                continue;
            }
            if (source is not null) CheckFollowableByRowId(source, online, errors);
            // Without analysis only the mapping counts: what the table plan would report is dropped.
            var planner = new TablePlanner(connection, oldSchema, table, source, analyze ? errors : [], analyze ? losses : [], suggestions, online, analyze) { Enums = model.Enums };
            tables.Add(planner.Plan(reason));
        }

        var dropped = old.Where(t => !claimed.ContainsKey(t.Name)).ToList();
        ReportDroppedTables(model, dropped, byName, losses, suggestions);
        return new MigrationPlan(tables, dropped, losses, errors, suggestions) { Ignored = leftOut };
    }

    /// <summary>The old table a new one takes its rows from: the same name, else its [RenamedFrom]; and why.</summary>
    private static (OldTable? Source, string Reason) MatchOldTable(TableModel table, Dictionary<string, OldTable> byName)
    {
        if (byName.TryGetValue(table.Name, out var same)) return (same, "same name");
        if (table.RenamedFrom is { } from && byName.TryGetValue(from, out var renamed)) return (renamed, $"[RenamedFrom(\"{from}\")]");
        return (null, "new table");
    }

    /// <summary>Adds MIG0050 for what keeps capture and replay from following an old table's rows by rowid.</summary>
    private static void CheckFollowableByRowId(OldTable source, bool online, List<PlanError> errors)
    {
        // A column named "rowid" (in any case) would hide the rowid Mig copies, captures and replays by.
        if (source.Columns.FirstOrDefault(c => Naming.HidesRowId(c.Name)) is { } hiding)
            errors.Add(new PlanError(MigCode.NotFollowableByRowId, $"The old table {source.Name} has a column named {hiding.Name}, a name Mig needs for the rowid it copies, captures and replays rows by, so it cannot migrate the table. Rename the column in the old database (ALTER TABLE {source.Name} RENAME COLUMN {hiding.Name} TO ...) and declare [RenamedFrom(\"...\")] on the new property."));
        if (online && source is { ExpressionUniqueIndexes.Count: > 0 })
            errors.Add(new PlanError(MigCode.NotFollowableByRowId, $"The old table {source.Name} has a unique index on an expression ({string.Join(", ", source.ExpressionUniqueIndexes)}); a REPLACE through it deletes rows without a trigger firing, and Mig cannot tell which, so it cannot capture this table online. Migrate offline (-p:MigOffline=true), or replace the index by one on plain columns."));
        if (source is { Kind: not "table" })
            errors.Add(new PlanError(MigCode.NotFollowableByRowId, $"The old table {source.Name} is a {(source.Kind == "virtual" ? "virtual table (a module such as FTS5)" : "virtual table's storage (a shadow table)")}; Mig can neither capture its writes nor create it from the schema. Give the new table another name (the old one is then dropped with its data, which the plan reports), or migrate the file by hand."));
        if (source is { WithoutRowId: true })
            errors.Add(new PlanError(MigCode.NotFollowableByRowId, $"The old table {source.Name} is WITHOUT ROWID; Mig captures and replays writes by rowid and cannot migrate it. Migrate it offline after converting it to a rowid table."));
    }

    /// <summary>The rows of each dropped table are a loss; a new table with the same columns is suggested as its rename.</summary>
    private static void ReportDroppedTables(SchemaModel model, List<OldTable> dropped, Dictionary<string, OldTable> byName, List<DataLoss> losses, List<string> suggestions)
    {
        foreach (var d in dropped.Where(d => d.RowCount > 0))
            losses.Add(new DataLoss(d.Name, null, d.RowCount, $"table {d.Name} is dropped with its {d.RowCount} rows"));
        foreach (var d in dropped)
        {
            var candidate = model.Tables.FirstOrDefault(t => t.RenamedFrom is null && !byName.ContainsKey(t.Name)
                && t.Columns.Count == d.Columns.Count && t.Columns.Select(c => c.Name).SequenceEqual(d.Columns.Select(c => c.Name), SqlNameComparer.Instance));
            if (candidate is not null)
                suggestions.Add($"The old table {d.Name} and the new table {candidate.Name} have the same columns. If it was renamed, add [RenamedFrom(\"{d.Name}\")] to {ShortName(candidate.ClrType)}; without it the plan drops {d.Name} and creates {candidate.Name} empty.");
        }
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

    /// <summary>A record's name without its namespace and containing types, as advice names it.</summary>
    internal static string ShortName(string clrType) => clrType[(clrType.LastIndexOfAny(['.', '+']) + 1)..];
}
