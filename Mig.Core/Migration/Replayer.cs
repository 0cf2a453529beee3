using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>Progress of a drain's replay.</summary>
public sealed record ReplayProgress(long Applied, long Pending, TimeSpan Elapsed);

/// <summary>
/// Applies the captured writes after the checkpoint to the new file (hot-migration.md,
/// MigDrain). Entries are full row images applied by rowid, so applying one twice
/// converges: a crash resumes from the checkpoint and ends identical. A
/// transaction's entries (one <c>txn_id</c>) are never split across commits, and
/// the checkpoint advances in the same commit as the entries it covers.
/// </summary>
public sealed class Replayer : IDisposable
{
    private const int BatchEntries = 2000;
    private readonly SqliteConnection target;
    private readonly MigrationPlan plan;
    private readonly Dictionary<string, TableStatements> statements = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A replayer on <paramref name="target"/> (the new file, with the old attached as <c>old</c>).</summary>
    public Replayer(SqliteConnection target, MigrationPlan plan)
    {
        this.target = target;
        this.plan = plan;
    }

    /// <summary>
    /// Replays every pending entry of a drained log (no more entries arrive); returns how many were applied.
    /// The log is read a page at a time inside the open transaction, and a commit happens only between
    /// two <c>txn_id</c>s once a batch's worth is applied: a transaction of the old file is never split,
    /// however long it is (a writer that does not use MigDatabase never starts a new <c>txn_id</c>), and
    /// memory holds one page, not one transaction.
    /// </summary>
    public long Run(Action<ReplayProgress> progress)
    {
        var checkpoint = long.Parse(NewDatabase.Info(target, "checkpoint") ?? "0", CultureInfo.InvariantCulture);
        var last = NewDatabase.Scalar(target, $"SELECT coalesce(max(id), 0) FROM old.{Protocol.LogTable}");
        var pending = Math.Max(0, last - checkpoint);
        long applied = 0, inTransaction = 0, lastTxnId = 0, lastId = checkpoint;
        var clock = Stopwatch.StartNew();
        progress(new ReplayProgress(0, pending, TimeSpan.Zero));
        SqliteTransaction? txn = null;
        try
        {
            void Commit()
            {
                NewDatabase.SetInfo(target, "checkpoint", lastId.ToString(CultureInfo.InvariantCulture), txn);
                txn!.Commit();
                txn.Dispose();
                txn = null;
                applied += inTransaction;
                inTransaction = 0;
                progress(new ReplayProgress(applied, pending, clock.Elapsed));
                FaultPoint.Reached(FaultPoint.Drain);
            }

            while (true)
            {
                // Deferred: BEGIN IMMEDIATE would also take the attached old file's write lock, and the
                // old service's writers would wait for it instead of being refused at once by the guards.
                txn ??= target.BeginTransaction(deferred: true);
                var page = Read(lastId, BatchEntries, txn);
                if (page.Count == 0) break;
                foreach (var e in page)
                {
                    if (inTransaction >= BatchEntries && e.TxnId != lastTxnId)
                    {
                        Commit();
                        txn = target.BeginTransaction(deferred: true);
                    }
                    Apply(e, txn);
                    inTransaction++;
                    lastTxnId = e.TxnId;
                    lastId = e.Id;
                }
            }
            if (inTransaction > 0) Commit();
        }
        finally
        {
            txn?.Dispose();
        }
        return applied;
    }

    private sealed record Entry(long Id, long TxnId, string Operation, string Table, string RowData);

    private List<Entry> Read(long after, int limit, SqliteTransaction txn)
    {
        using var cmd = target.CreateCommand();
        cmd.Transaction = txn;
        cmd.CommandText = $"SELECT id, txn_id, operation, table_name, row_data FROM old.{Protocol.LogTable} WHERE id > @after ORDER BY id LIMIT @limit";
        cmd.Parameters.AddWithValue("@after", after);
        cmd.Parameters.AddWithValue("@limit", limit);
        using var r = cmd.ExecuteReader();
        var list = new List<Entry>();
        while (r.Read()) list.Add(new Entry(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4)));
        return list;
    }

    private void Apply(Entry e, SqliteTransaction txn)
    {
        var table = plan.ForOldTable(e.Table);
        if (table is null) return; // a dropped table: its writes go nowhere, as its rows did
        var s = Statements(table);
        using var json = JsonDocument.Parse(e.RowData);
        var row = json.RootElement;
        var rowid = row.GetProperty("_rowid_").GetInt64();
        if (s.Mapping is { } mapping)
        {
            // The row image names the old rowid; the row lives at the rowid its key gives.
            if (e.Operation == "delete") mapping.Delete(txn, rowid, at => Delete(s, txn, at));
            else mapping.Upsert(txn, rowid, row.TryGetProperty("_old_rowid_", out var from) ? from.GetInt64() : null,
                row.TryGetProperty(mapping.KeySource, out var key) ? Decode(key) : DBNull.Value,
                at => Delete(s, txn, at), at => Upsert(s, txn, row, at));
            return;
        }
        if (e.Operation == "delete" || (row.TryGetProperty("_old_rowid_", out var oldRowid) && oldRowid.GetInt64() != rowid))
        {
            Delete(s, txn, e.Operation == "delete" ? rowid : row.GetProperty("_old_rowid_").GetInt64());
            if (e.Operation == "delete") return;
        }
        if (e.Operation == "insert" && s.InsertRepeats) Insert(s, txn, row, rowid);
        else Upsert(s, txn, row, rowid);
    }

    /// <summary>
    /// An inserted row is new to the new file, so the UPDATE that looks for it first is skipped. On a
    /// second replay of the same entry (after a crash) it is there: REPLACE writes the same image with
    /// the same fills for new-only columns, which no replayed update changes, so the result is the same
    /// (<see cref="TableStatements.InsertRepeats"/>: not for a [DefaultExpr] fill, which may differ each time).
    /// </summary>
    private static void Insert(TableStatements s, SqliteTransaction txn, JsonElement row, long rowid)
    {
        Bind(s.Insert, txn, s.Sources, row, rowid);
        s.Insert.ExecuteNonQuery();
    }

    private static void Delete(TableStatements s, SqliteTransaction txn, long rowid)
    {
        s.Delete.Transaction = txn;
        s.Delete.Parameters[0].Value = rowid;
        s.Delete.ExecuteNonQuery();
    }

    private static void Upsert(TableStatements s, SqliteTransaction txn, JsonElement row, long rowid)
    {
        // Upsert by rowid: update the row if it is there (new-only columns keep their
        // values), insert it otherwise (new-only columns get their fill).
        Bind(s.Update, txn, s.Sources, row, rowid);
        if (s.Update.ExecuteNonQuery() == 0) Insert(s, txn, row, rowid);
    }

    /// <summary>Binds a row image to an update or insert statement: the copied columns' values in order, the rowid last.</summary>
    private static void Bind(SqliteCommand cmd, SqliteTransaction txn, IReadOnlyList<string> sources, JsonElement row, long rowid)
    {
        cmd.Transaction = txn;
        for (var i = 0; i < sources.Count; i++)
            cmd.Parameters[i].Value = row.TryGetProperty(sources[i], out var v) ? Decode(v) : DBNull.Value;
        cmd.Parameters[^1].Value = rowid;
    }

    /// <summary>A JSON value of the row image back to what SQLite stored: BLOBs from hex, integers as integers.</summary>
    internal static object Decode(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null => DBNull.Value,
        JsonValueKind.String => v.GetString()!,
        // (object): in a long/double conditional the long would widen to double, losing digits past 2^53
        // and turning integers into REALs where the column has no INTEGER affinity.
        JsonValueKind.Number => v.GetRawText().AsSpan().IndexOfAny(".eE") < 0 && v.TryGetInt64(out var l) ? (object)l
            : v.TryGetDouble(out var d) && !double.IsInfinity(d) ? d
            : v.GetRawText().StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity,
        JsonValueKind.Object when v.TryGetProperty("$blob", out var hex) => Convert.FromHexString(hex.GetString()!),
        JsonValueKind.True => 1L,
        JsonValueKind.False => 0L,
        _ => throw new FormatException($"Unexpected value in a captured row: {v.GetRawText()}"),
    };

    private sealed record TableStatements(SqliteCommand Update, SqliteCommand Insert, SqliteCommand Delete, IReadOnlyList<string> Sources, IdMapping.Replay? Mapping)
    {
        /// <summary>True when inserting the same image twice writes the same row: no fill is evaluated per row.</summary>
        public bool InsertRepeats { get; init; }
    }

    private TableStatements Statements(TablePlan table)
    {
        if (statements.TryGetValue(table.Table.Name, out var s)) return s;
        var name = $"main.{SqlIdentifier.Quote(table.Table.Name)}";
        var copied = table.Columns.Where(c => c.Source is not null).ToList();
        var sources = copied.Select(c => c.Source!).ToList();
        string Param(ColumnPlan c) => "@p" + copied.IndexOf(c).ToString(CultureInfo.InvariantCulture);

        // OR REPLACE: a writer's REPLACE (INSERT OR REPLACE, UPDATE OR REPLACE) deletes the rows it
        // conflicts with without firing their delete triggers, so those deletes are not in the log.
        // The old file held its constraints after every logged write; a conflict here is such a
        // silent delete, and replay resolves it the way the writer did.
        var update = target.CreateCommand();
        update.CommandText = copied.Count == 0
            ? $"UPDATE {name} SET rowid = rowid WHERE rowid = @rowid" // no copied column: only "is it there"
            : $"UPDATE OR REPLACE {name} SET {string.Join(", ", copied.Select(c => $"{SqlIdentifier.Quote(c.Column.Name)} = {Copier.ValueExpression(c, Param(c))}"))} WHERE rowid = @rowid";
        var insertColumns = new List<string>();
        var insertValues = new List<string>();
        if (!table.RowIdAliasFromSource) { insertColumns.Add("rowid"); insertValues.Add("@rowid"); }
        foreach (var c in table.Columns)
        {
            insertColumns.Add(SqlIdentifier.Quote(c.Column.Name));
            insertValues.Add(c.Source is null ? Copier.ValueExpression(c, "NULL") : Copier.ValueExpression(c, Param(c)));
        }
        var insert = target.CreateCommand();
        insert.CommandText = $"INSERT OR REPLACE INTO {name}({string.Join(", ", insertColumns)}) VALUES ({string.Join(", ", insertValues)})";
        foreach (var cmd in new[] { update, insert })
        {
            // No declared type: each value binds with its own storage class.
            for (var i = 0; i < copied.Count; i++) cmd.Parameters.AddWithValue("@p" + i.ToString(CultureInfo.InvariantCulture), DBNull.Value);
            cmd.Parameters.AddWithValue("@rowid", DBNull.Value);
        }
        var delete = target.CreateCommand();
        delete.CommandText = $"DELETE FROM {name} WHERE rowid = @rowid";
        delete.Parameters.Add("@rowid", SqliteType.Integer);
        s = new TableStatements(update, insert, delete, sources, table.RowIdChanges ? new IdMapping.Replay(target, table) : null)
        {
            InsertRepeats = table.Columns.All(c => c.Column.DefaultExpression is null),
        };
        statements[table.Table.Name] = s;
        return s;
    }

    /// <summary>Disposes the prepared statements.</summary>
    public void Dispose()
    {
        foreach (var s in statements.Values)
        {
            s.Update.Dispose();
            s.Insert.Dispose();
            s.Delete.Dispose();
            s.Mapping?.Dispose();
        }
    }
}
