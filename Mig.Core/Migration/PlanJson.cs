using System.Text;
using System.Text.Json;

namespace Mig.Migration;

/// <summary>
/// A plan as JSON (<c>mig plan --json</c>): per table its source and per column its source and
/// fill and how its rows are expected to copy, the dropped tables, the losses with row counts, the errors with codes, the suggestions.
/// Written by hand, not reflected, so it stays trimming-safe and its shape is what this file says.
/// </summary>
internal static class PlanJson
{
    public static string Serialize(MigrationPlan plan)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteBoolean("runs", plan.Errors.Count == 0);
            w.WriteBoolean("losesData", plan.Losses.Count > 0);
            if (plan.OldDatabase is not null) w.WriteString("oldDatabase", plan.OldDatabase);
            if (plan.NewDatabase is not null) w.WriteString("newDatabase", plan.NewDatabase);
            w.WriteStartArray("tables");
            foreach (var t in plan.Tables) Table(w, t);
            w.WriteEndArray();
            w.WriteStartArray("droppedTables");
            foreach (var d in plan.DroppedTables)
            {
                w.WriteStartObject();
                w.WriteString("table", d.Name);
                w.WriteNumber("rows", d.RowCount);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("ignoredTables");
            foreach (var i in plan.Ignored) w.WriteStringValue(i);
            w.WriteEndArray();
            w.WriteStartArray("losses");
            foreach (var l in plan.Losses)
            {
                w.WriteStartObject();
                w.WriteString("table", l.Table);
                w.WriteString("column", l.Column);
                w.WriteNumber("rows", l.Rows);
                w.WriteString("what", l.What);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("errors");
            foreach (var e in plan.Errors)
            {
                w.WriteStartObject();
                w.WriteString("code", e.Code);
                w.WriteString("message", e.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("suggestions");
            foreach (var s in plan.Suggestions) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Table(Utf8JsonWriter w, TablePlan t)
    {
        w.WriteStartObject();
        w.WriteString("table", t.Table.Name);
        w.WriteString("source", t.Source?.Name);
        w.WriteString("reason", t.Source is null ? "new, starts empty" : t.Reason);
        if (t.Source is null) w.WriteNull("rows");
        else w.WriteNumber("rows", t.Source.RowCount);
        w.WriteBoolean("rowIdChanges", t.RowIdChanges);
        // The text plan's "copy:" line: a prediction, SQLite has the last word at the copy (RecordTransfer).
        if (t.Source is null) w.WriteNull("copy");
        else w.WriteString("copy", RecordTransfer.TransferredColumns(t) is null ? "value-by-value" : "as-stored");
        w.WriteStartArray("columns");
        foreach (var c in t.Columns)
        {
            w.WriteStartObject();
            w.WriteString("column", c.Column.Name);
            w.WriteString("source", c.Source);
            w.WriteString("fill", Fill(c.Fill));
            w.WriteString("reason", c.Reason);
            if (c.Fill == FillKind.Computed) w.WriteString("migrateFrom", c.Column.MigrateFrom);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string Fill(FillKind fill) => fill switch
    {
        FillKind.Copy => "copy",
        FillKind.Convert => "convert",
        FillKind.EnumConvert => "enum-convert",
        FillKind.Default => "default",
        FillKind.DefaultExpression => "default-expression",
        FillKind.Computed => "migrate-from",
        _ => "null",
    };
}
