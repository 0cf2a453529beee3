namespace Mig.Migration;

/// <summary>A plan in words, as MigPlan and MigMigrate print it.</summary>
internal static class PlanReport
{
    /// <summary>One line per fact: table matches, column fills, conversions, losses, errors, suggestions.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="allowDataLoss">True when the run accepts the losses (-p:MigAllowDataLoss=true), to say so instead of that it refuses them.</param>
    public static IEnumerable<string> Lines(MigrationPlan plan, bool allowDataLoss = false)
    {
        yield return "Mig plan:";
        if (plan.OldDatabase is not null) yield return $"  old file: {plan.OldDatabase}";
        // Named before MigMigrate creates it, so a replication tool (Litestream) can list it ahead.
        if (plan.NewDatabase is not null) yield return $"  new file: {plan.NewDatabase} (MigMigrate creates it)";
        foreach (var t in plan.Tables)
        {
            yield return t.Source is null
                ? $"  table {t.Table.Name}: new, starts empty"
                : $"  table {t.Table.Name} <- {t.Source.Name} ({t.Reason}, {t.Source.RowCount} rows)";
            if (t.Source is null) continue;
            foreach (var c in t.Columns.Where(c => c.Fill != FillKind.Copy || c.Reason != "same name"))
                yield return $"    {c.Column.Name}: {(c.Source is null ? "" : "<- " + c.Source + ", ")}{c.Reason}";
            // Tells an operator which tables copy fastest; SQLite has the last word at the copy (RecordTransfer).
            if (RecordTransfer.TransferredColumns(t) is not null)
                yield return "    copy: the stored records need no change, so they can move as stored (SQLite confirms at the copy; otherwise value by value)";
            if (t.RowIdChanges)
                yield return $"    rowid: becomes the key {t.KeyColumn.Column.Name} (values kept, rowids change); captured writes are followed through {Protocol.IdMappingTable}";
        }
        foreach (var d in plan.DroppedTables) yield return $"  table {d.Name}: dropped ({d.RowCount} rows)";
        foreach (var i in plan.Ignored) yield return $"  table {i}: ignored (another tool's bookkeeping: not copied, captured, guarded or verified; writes to it are never refused)";
        foreach (var l in plan.Losses) yield return $"  DATA LOSS: {l.What}";
        foreach (var e in plan.Errors) yield return $"  ERROR {e.Code}: {e.Message}";
        foreach (var s in plan.Suggestions) yield return $"  suggestion: {s}";
        if (plan.Errors.Count == 0)
            yield return plan.Losses.Count == 0 ? "  The plan keeps every row and value." : allowDataLoss
                ? "  The plan loses data; -p:MigAllowDataLoss=true accepts it."
                : "  The plan loses data; MigMigrate refuses it without -p:MigAllowDataLoss=true.";
    }
}
