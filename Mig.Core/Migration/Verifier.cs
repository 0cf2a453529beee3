using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Schema;

namespace Mig.Migration;

/// <summary>
/// Compares old and new after drain (docs/hot-migration.md, MigVerify): row counts,
/// <c>pragma foreign_key_check</c>, and the content of every copied column, row
/// by row by rowid (old values transformed as the plan transforms them), so a
/// lost, doubled or altered write shows. Nothing is exempt but the rows a seed added to
/// the new file (a seed never changes a copied row).
/// </summary>
internal static class Verifier
{
    /// <summary>
    /// Verifies the new file (main) against the old (attached as <c>old</c>). <paramref name="plan"/>
    /// must be analysed (<see cref="Planner.Create"/> with analyze) on the old file as it is now, so its
    /// losses include what writes made while recording put into dropped columns and tables or into
    /// columns whose conversion they do not survive; those not in <paramref name="acceptedLosses"/>
    /// (<see cref="LossKey"/>s) are reported: replay converts such a value the way the copy does, and
    /// comparing converted values alone would not show it.
    /// </summary>
    public static VerifyResult Run(SqliteConnection target, MigrationPlan plan, SchemaModel model, bool online, IReadOnlySet<string> acceptedLosses)
    {
        if (online) Capture.RequireUnchangedSchema(target, "old");
        var checks = new List<TableCheck>();
        var mapping = IdMapping.Exists(target);
        foreach (var t in plan.Tables.Where(t => t.Source is not null))
        {
            var copied = t.Columns.Where(ComputedFill.ReadsOldRow).ToList();
            // Rows a seed added during the copy are the one thing the new file may have that the old
            // lacks. Only that side is exempt: every old row must still be in the new file as it is.
            var seeded = Bookkeeping.Info(target, InfoKeys.SeededRows(t.Table.Name)) is { } ids ? ids : "";
            var exempt = seeded.Length == 0 ? "" : $" AND rowid NOT IN ({seeded})";
            // Old rows are compared at their new rowid: the old rowid, or where _id_mapping puts it.
            var rowid = IdMapping.VerifiedRowId(t, mapping);
            var oldSide = $"SELECT {rowid}{string.Concat(copied.Select(c => ", " + OldValue(t, c, mapping)))} FROM old.{SqlIdentifier.Quote(t.Source!.Name)}";
            var newSide = $"SELECT rowid{string.Concat(copied.Select(c => ", " + SqlIdentifier.Quote(c.Column.Name)))} FROM main.{SqlIdentifier.Quote(t.Table.Name)} WHERE 1{exempt}";
            var missing = SqliteFile.Scalar(target, $"SELECT count(*) FROM ({oldSide} EXCEPT {newSide})");
            var different = SqliteFile.Scalar(target, $"SELECT count(*) FROM ({newSide} EXCEPT {oldSide})");
            var columns = new List<string>();
            if (missing > 0 || different > 0)
            {
                foreach (var c in copied)
                {
                    var o = $"SELECT {rowid}, {OldValue(t, c, mapping)} FROM old.{SqlIdentifier.Quote(t.Source.Name)}";
                    var n = $"SELECT rowid, {SqlIdentifier.Quote(c.Column.Name)} FROM main.{SqlIdentifier.Quote(t.Table.Name)}";
                    if (SqliteFile.Scalar(target, $"SELECT count(*) FROM ({o} EXCEPT {n})") > 0) columns.Add(c.Column.Name);
                }
            }
            checks.Add(new TableCheck(t.Table.Name,
                SqliteFile.Scalar(target, $"SELECT count(*) FROM old.{SqlIdentifier.Quote(t.Source.Name)}"),
                SqliteFile.Scalar(target, $"SELECT count(*) FROM main.{SqlIdentifier.Quote(t.Table.Name)}"),
                missing, different, columns));
        }
        long pending = 0;
        if (online)
        {
            var checkpoint = long.Parse(Bookkeeping.Info(target, InfoKeys.Checkpoint) ?? "0", CultureInfo.InvariantCulture);
            pending = Math.Max(0, SqliteFile.Scalar(target, $"SELECT coalesce(max(id), 0) FROM old.{Protocol.LogTable}") - checkpoint);
        }
        var losses = plan.Losses.Where(l => !acceptedLosses.Contains(LossKey(l))).ToList();
        return new VerifyResult(checks, Copier.ForeignKeyViolations(target, model), pending, losses)
        {
            SequencesBehind = SequencesBehind(target, plan),
            DuplicateKeys = [.. plan.Errors.Where(e => e.Code == MigCode.DuplicateKey).Select(e => e.Finding ?? e.Message)],
        };
    }

    /// <summary>
    /// The old side of a column's comparison: its value as the copy and replay write it. A NULL that a
    /// NOT NULL column filled from a [DefaultExpr] may have any value that expression gave then (a
    /// time, a random id), so it is compared with what the new file holds at that row: it only has
    /// to be there, and the NOT NULL constraint already says it is not NULL.
    /// </summary>
    private static string OldValue(TablePlan t, ColumnPlan c, bool mapping)
    {
        var source = $"old.{SqlIdentifier.Quote(t.Source!.Name)}";
        // A computed column's expression names the old row's columns; the FROM is the old table alone.
        var oldColumn = c.Source is null ? "NULL" : $"{source}.{SqlIdentifier.Quote(c.Source)}";
        var value = Copier.ValueExpression(c, oldColumn);
        if (c.Fill is not (FillKind.Copy or FillKind.Convert or FillKind.EnumConvert or FillKind.Computed) || !c.Column.NotNull || c.Column.Default is not null || c.Column.DefaultExpression is null)
            return value;
        var plain = Copier.ValueExpression(c with { Column = c.Column with { NotNull = false } }, oldColumn);
        return $"coalesce({plain}, (SELECT mig_filled.{SqlIdentifier.Quote(c.Column.Name)} FROM main.{SqlIdentifier.Quote(t.Table.Name)} AS mig_filled WHERE mig_filled.rowid = {IdMapping.VerifiedRowId(t, mapping)}))";
    }

    /// <summary>AUTOINCREMENT promises a key is never handed out twice: the new counter must be at least the old one.</summary>
    private static List<string> SequencesBehind(SqliteConnection target, MigrationPlan plan)
    {
        var behind = new List<string>();
        if (!SqliteFile.TableExists(target, null, "sqlite_sequence", "old")) return behind;
        foreach (var t in plan.Tables.Where(t => t.Source is not null && t.Table.AutoIncrement))
        {
            using var cmd = target.CreateCommand();
            cmd.CommandText = "SELECT (SELECT max(seq) FROM old.sqlite_sequence WHERE name = @old), (SELECT max(seq) FROM main.sqlite_sequence WHERE name = @new)";
            cmd.Parameters.AddWithValue("@old", t.Source!.Name);
            cmd.Parameters.AddWithValue("@new", t.Table.Name);
            using var r = cmd.ExecuteReader();
            r.Read();
            if (r.IsDBNull(0)) continue;
            var (oldSeq, newSeq) = (r.GetInt64(0), r.IsDBNull(1) ? 0 : r.GetInt64(1));
            if (newSeq < oldSeq)
                behind.Add($"{t.Table.Name} would hand out keys after {newSeq.ToString(CultureInfo.InvariantCulture)}, but the old file already gave out {oldSeq.ToString(CultureInfo.InvariantCulture)}; run MigDrain (it carries the counter)");
        }
        return behind;
    }

    /// <summary>What a consent to a loss covers: a whole old table, or one old column (its drop or its conversion).</summary>
    public static string LossKey(DataLoss loss) => loss.Column is null ? loss.Table : $"{loss.Table}.{loss.Column}";

}
