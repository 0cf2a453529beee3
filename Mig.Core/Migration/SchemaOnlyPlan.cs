using Microsoft.Data.Sqlite;
using Mig.Schema;

namespace Mig.Migration;

/// <summary>
/// A plan against the previous schema alone, without the production file (<c>-p:MigPlanFrom</c>,
/// <c>mig plan --plan-from</c>): the SQL <c>MigScript</c> wrote for that schema is loaded into an empty
/// temporary file and planned like an old file. With no rows to count, every change that loses data
/// when the tables hold any (a dropped table or column, a conversion) is a loss, and a loss nobody
/// accepted is an error, so a pipeline fails a pull request before anyone touches production.
/// </summary>
internal static class SchemaOnlyPlan
{
    public static MigrationPlan Create(string scriptPath, SchemaModel model, bool online, bool allowDataLoss, IgnoredTables ignored)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mig-plan-from-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var path = Path.Combine(dir, "previous.db");
            Load(scriptPath, path);
            MigrationPlan plan;
            using (var c = SqliteFile.OpenReadOnly(path)) plan = Planner.Create(c, model, "main", online, ignored: ignored);
            var losses = plan.Losses.Concat(PossibleLosses(plan)).ToList();
            var errors = plan.Errors.ToList();
            if (losses.Count > 0 && !allowDataLoss)
                errors.Add(new PlanError(MigCode.DataLoss,
                    $"The schema change loses data whenever the tables hold any: {string.Join("; ", losses.Select(l => l.What))}. If a table or column was renamed, declare it with [RenamedFrom]; if the loss is intended, accept it with -p:MigAllowDataLoss=true (mig plan --allow-data-loss)."));
            return plan with { Losses = losses, Errors = errors };
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Load(string scriptPath, string path)
    {
        if (!File.Exists(scriptPath))
            throw new MigOperationException(MigCode.PlanFromUnreadable,
                $"The previous schema's SQL {scriptPath} (-p:MigPlanFrom) is missing. Write it from the previous version with MigScript (-p:MigScriptPath=<file>), then plan again.");
        try
        {
            using var c = DatabaseFile.Open(path, create: true);
            SqliteFile.Execute(c, File.ReadAllText(scriptPath));
        }
        catch (SqliteException e)
        {
            throw new MigOperationException(MigCode.PlanFromUnreadable,
                $"The previous schema's SQL {scriptPath} (-p:MigPlanFrom) does not load into SQLite: {e.Message} Give the file MigScript wrote for the previous version.", e);
        }
    }

    /// <summary>What the plan would lose if the old tables held rows: the loss checks of a real plan count them.</summary>
    private static IEnumerable<DataLoss> PossibleLosses(MigrationPlan plan)
    {
        foreach (var d in plan.DroppedTables)
            yield return new DataLoss(d.Name, null, 0, $"table {d.Name} is dropped, with every row it holds");
        foreach (var t in plan.Tables.Where(t => t.Source is not null))
        {
            var used = t.Columns.Where(c => c.Source is not null).Select(c => c.Source!).ToHashSet(SqlNameComparer.Instance);
            foreach (var gone in t.Source!.Columns.Where(o => !used.Contains(o.Name) && !o.Generated))
                yield return new DataLoss(t.Source.Name, gone.Name, 0, $"column {t.Source.Name}.{gone.Name} is dropped, with every value it holds");
            foreach (var c in t.Columns.Where(c => c.Fill is FillKind.Convert or FillKind.EnumConvert))
                yield return new DataLoss(t.Source.Name, c.Source, 0, $"{t.Source.Name}.{c.Source} is converted ({c.Reason}): values that do not survive are lost (a plan against the production file counts them)");
            // As a conversion: the expression's results meet the column's type only in the real rows.
            foreach (var c in t.Columns.Where(c => c.Fill is FillKind.Computed))
                yield return new DataLoss(t.Source.Name, null, 0,
                    $"{t.Table.Name}.{c.Column.Name} is computed from {t.Source.Name} by [MigrateFrom] {c.Column.MigrateFrom}: results that do not survive {TypeMapping.Keyword(c.Column.Type)} are lost" +
                    (c.Column.NotNull && c.Column.Default is null && c.Column.DefaultExpression is null ? ", and a NULL result stops MigMigrate (MIG0043: the column is NOT NULL without a default)" : "") +
                    " (a plan against the production file counts them)");
        }
    }
}
