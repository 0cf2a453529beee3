using System.Text;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// The SQL a plan's copy would run, for review (<c>-p:MigPlanSql</c>, <c>mig plan --plan-sql</c>), in
/// the copy's order: the new tables and views, one <c>INSERT ... SELECT</c> per copied table (parents
/// first), then the indexes. Built by the code that builds the real statements (<see cref="Ddl"/>,
/// <see cref="Copier.InsertSelect"/>), so what a reviewer reads is what runs.
/// </summary>
internal static class PlanSql
{
    public static string Build(MigrationPlan plan, SchemaModel model, string hash)
    {
        var sb = new StringBuilder();
        foreach (var line in Header(plan, hash)) sb.Append(line.Length == 0 ? "--" : "-- " + line).Append('\n');
        sb.Append('\n');
        void Statement(string sql) => sb.Append(sql).Append(";\n\n");
        foreach (var table in model.Tables) Statement(Ddl.CreateTable(table));
        foreach (var view in model.Views) Statement(Ddl.CreateView(view));
        foreach (var table in plan.Tables)
        {
            sb.Append("-- ").Append(table.Table.Name).Append(": ");
            if (table.Source is null)
            {
                sb.Append("new, starts empty\n\n");
                continue;
            }
            sb.Append(OneLine(table.Reason)).Append(" (").Append(table.Source.RowCount).Append(" rows)\n");
            if (RecordTransfer.TransferredColumns(table) is { } n)
                sb.Append("-- its stored records need no change: the copy first tries to move them as stored, with SQLite's\n")
                  .Append($"-- INSERT INTO main.{SqlIdentifier.Quote(table.Table.Name)} SELECT * FROM old.{SqlIdentifier.Quote(table.Source.Name)} into the table made with its first {n} columns")
                  .Append(n < table.Columns.Count ? ", then ALTER TABLE ... ADD COLUMN for the others" : "")
                  .Append(";\n-- where SQLite declines, it runs this:\n");
            Statement(Copier.InsertSelect(table));
        }
        foreach (var table in model.Tables)
            foreach (var ix in table.Indexes) Statement(Ddl.CreateIndex(table, ix));
        return sb.ToString().TrimEnd('\n') + "\n";
    }

    private static IEnumerable<string> Header(MigrationPlan plan, string hash)
    {
        yield return $"Mig plan SQL for schema {hash}: FOR REVIEW, not a script to run.";
        yield return "The copy runs these statements in the new file (main) with the old file attached as 'old',";
        yield return "each INSERT in rowid ranges, all in one transaction; online it first installs capture triggers";
        yield return "on the old file. Seed rows, AUTOINCREMENT counters, _id_mapping and Mig's bookkeeping tables";
        yield return "are written by code and not shown.";
        if (plan.Errors.Count > 0)
        {
            yield return "";
            yield return "THE PLAN HAS ERRORS; MigMigrate refuses it:";
            foreach (var e in plan.Errors) yield return $"ERROR {e.Code}: {OneLine(e.Message)}";
        }
        foreach (var l in plan.Losses) yield return $"DATA LOSS: {OneLine(l.What)}";
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
