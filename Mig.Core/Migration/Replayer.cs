using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// Brings every row the log names up to date in the new file (docs/hot-migration.md, MigDrain).
/// A log entry says only "this rowid of this table was written"; replay reads that row from
/// the old file as it is now and writes it through the plan's expressions (the copy's own),
/// or deletes it when the old file no longer has it. Values never leave SQLite, so they
/// arrive bit for bit, whatever wrote them.
/// <para>
/// Each step makes a row equal to its current old version, so replaying an entry twice, or
/// entries in any grouping, converges to the old file: a batch commits with its checkpoint
/// after a bounded number of entries, wherever that falls (one writer's long transaction
/// included), and a crash resumes from the checkpoint. A row that an intermediate step
/// displaces (a unique value that moved between rows) has a later entry of its own, which
/// puts it back.
/// </para>
/// </summary>
internal sealed class Replayer : IDisposable
{
    private const long BatchEntries = 2000;
    private readonly SqliteConnection target;
    private readonly MigrationPlan plan;
    private readonly Dictionary<string, TableStatements> statements = new(SqlNameComparer.Instance);
    private readonly SqliteCommand tablesInBatch;
    private readonly SqliteCommand touch;
    private readonly SqliteCommand entries;
    private readonly SqliteCommand unreadable;

    private readonly string checkpointTable;
    private readonly string checkpointKey;

    /// <summary>
    /// A replayer on <paramref name="target"/> (the new file, with the old attached as <c>old</c>). The checkpoint is
    /// the target's <paramref name="checkpointKey"/> in its <paramref name="checkpointTable"/>: MigRevert replays the
    /// new file's log into the old file (attached the other way round) and keeps its checkpoint among the old file's facts.
    /// </summary>
    public Replayer(SqliteConnection target, MigrationPlan plan, string checkpointTable = Protocol.InfoTable, string checkpointKey = InfoKeys.Checkpoint)
    {
        this.target = target;
        this.plan = plan;
        this.checkpointTable = checkpointTable;
        this.checkpointKey = checkpointKey;
        SqliteFile.Execute(target, "CREATE TEMP TABLE IF NOT EXISTS mig_touched(row_id INTEGER PRIMARY KEY)");
        SqliteFile.Execute(target, "CREATE TEMP TABLE IF NOT EXISTS mig_deleted(row_id INTEGER PRIMARY KEY)");
        var range = $"FROM old.{Protocol.LogTable} WHERE id > @from AND id <= @to";
        tablesInBatch = Command($"SELECT table_name, count(*) {range} GROUP BY table_name", "@from", "@to");
        unreadable = Command($"SELECT id, quote(row_id), quote(table_name) {range} AND (typeof(row_id) <> 'integer' OR typeof(table_name) <> 'text') LIMIT 1", "@from", "@to");
        touch = Command($"DELETE FROM temp.mig_touched; INSERT OR IGNORE INTO temp.mig_touched(row_id) SELECT row_id {range} AND table_name = @t; " +
            $"DELETE FROM temp.mig_deleted; INSERT OR IGNORE INTO temp.mig_deleted(row_id) SELECT row_id {range} AND table_name = @t AND operation = 'delete'", "@from", "@to", "@t");
        entries = Command($"SELECT row_id {range} AND table_name = @t ORDER BY id", "@from", "@to", "@t");
    }

    /// <summary>
    /// Replays every entry after the checkpoint (at most <paramref name="limit"/> of them); returns how
    /// many were applied. Refuses (MIG0070) when the old file's schema changed under the capture.
    /// <paramref name="faultPoint"/> is announced after each committed batch.
    /// </summary>
    public long Run(Action<ReplayProgress> progress, long limit = long.MaxValue, string faultPoint = FaultPoint.Drain)
    {
        Capture.RequireUnchangedSchema(target, "old");
        var checkpoint = Checkpoint();
        // Every entry up to the newest one seen here is committed: writes are serialised, and an id is
        // taken inside its writer's transaction, so a later commit can only add ids above it. Each batch
        // reads the old rows in a snapshot taken after that, so while writes go on (catch-up), an entry
        // committed after the snapshot is above the checkpoint and replayed by a later batch.
        var last = SqliteFile.Scalar(target, $"SELECT coalesce(max(id), 0) FROM old.{Protocol.LogTable}");
        if (limit < last - checkpoint) last = checkpoint + limit;
        var pending = SqliteFile.Scalar(target, $"SELECT count(*) FROM old.{Protocol.LogTable} WHERE id > {checkpoint.ToString(CultureInfo.InvariantCulture)}");
        long applied = 0;
        var clock = Stopwatch.StartNew();
        progress(new ReplayProgress(0, pending, TimeSpan.Zero));
        while (checkpoint < last)
        {
            var to = last - checkpoint > BatchEntries ? checkpoint + BatchEntries : last;
            // Not BEGIN IMMEDIATE: it would also take the attached old file's write lock, and the
            // old service's writers would wait for it instead of being refused at once by the guards.
            using (var txn = MainWriteTransaction.Begin(target, checkpointTable))
            {
                try { applied += ApplyBatch(txn, checkpoint, to); }
                catch (SqliteException e) when (ComputedFill.NullResult(e, plan) is { } refused) { throw refused; }
                Bookkeeping.SetFact(target, $"main.{checkpointTable}", checkpointKey, to.ToString(CultureInfo.InvariantCulture), txn);
                txn.Commit();
            }
            checkpoint = to;
            progress(new ReplayProgress(applied, pending, clock.Elapsed));
            FaultPoint.Reached(faultPoint);
        }
        return applied;
    }

    /// <summary>
    /// Commits the checkpoint again with <c>synchronous = FULL</c>, which makes every earlier batch commit
    /// durable (they commit with the connection's setting); returns it.
    /// </summary>
    public long CommitDurably()
    {
        SqliteFile.Execute(target, "PRAGMA main.synchronous = FULL");
        using var txn = MainWriteTransaction.Begin(target, checkpointTable);
        var checkpoint = Checkpoint();
        Bookkeeping.SetFact(target, $"main.{checkpointTable}", checkpointKey, checkpoint.ToString(CultureInfo.InvariantCulture), txn);
        txn.Commit();
        return checkpoint;
    }

    /// <summary>The last log id replayed (0 before the first batch).</summary>
    public long Checkpoint()
    {
        if (!SqliteFile.TableExists(target, null, checkpointTable)) return 0;
        using var cmd = target.CreateCommand();
        cmd.CommandText = $"SELECT value FROM main.{checkpointTable} WHERE key = @k";
        cmd.Parameters.AddWithValue("@k", checkpointKey);
        return long.Parse(cmd.ExecuteScalar() as string ?? "0", CultureInfo.InvariantCulture);
    }

    private long ApplyBatch(SqliteTransaction txn, long from, long to)
    {
        Bind(unreadable, txn, from, to);
        using (var r = unreadable.ExecuteReader())
            if (r.Read())
                throw new MigOperationException(MigCode.UnreadableEntry,
                    $"The capture log of the old file has an entry replay cannot read: entry {r.GetInt64(0).ToString(CultureInfo.InvariantCulture)} names row {r.GetString(1)} of table {r.GetString(2)}. " +
                    "Mig's triggers never write such an entry; something else wrote to the log or damaged it, so the captured writes cannot be trusted. " +
                    "Nothing after the checkpoint was applied. Run MigReset (the old service writes again), then MigMigrate again.");
        var tables = new List<(string Name, long Entries)>();
        Bind(tablesInBatch, txn, from, to);
        using (var r = tablesInBatch.ExecuteReader())
            while (r.Read()) tables.Add((r.GetString(0), r.GetInt64(1)));
        foreach (var (name, _) in tables)
        {
            var table = plan.ForOldTable(name);
            if (table is null) continue; // a dropped table: its writes go nowhere, as its rows did
            var s = Statements(table);
            if (s.Mapping is { } mapping) ReplayMapped(txn, s, mapping, name, from, to);
            else
            {
                Bind(touch, txn, from, to, name);
                touch.ExecuteNonQuery();
                foreach (var cmd in s.SetBased)
                {
                    cmd.Transaction = txn;
                    cmd.ExecuteNonQuery();
                }
            }
        }
        return tables.Sum(t => t.Entries);
    }

    /// <summary>
    /// A table whose rowid changes (<see cref="IdMapping"/>): entry by entry in log order, each old
    /// rowid placed where its current key puts it, or removed when the old row is gone.
    /// </summary>
    private void ReplayMapped(SqliteTransaction txn, TableStatements s, IdMapping.Replay mapping, string table, long from, long to)
    {
        var rowids = new List<long>();
        Bind(entries, txn, from, to, table);
        using (var r = entries.ExecuteReader())
            while (r.Read()) rowids.Add(r.GetInt64(0));
        foreach (var rowid in rowids)
        {
            s.OldKey!.Transaction = txn;
            s.OldKey.Parameters[0].Value = rowid;
            using var r = s.OldKey.ExecuteReader();
            if (!r.Read())
            {
                r.Close();
                mapping.Delete(txn, rowid, at => Run(s.Delete, txn, ("@rowid", at)));
                continue;
            }
            var key = r.GetValue(0);
            r.Close();
            mapping.Upsert(txn, rowid, null, key, at => Run(s.Delete, txn, ("@rowid", at)), at =>
            {
                if (Run(s.UpdateOne!, txn, ("@old", rowid), ("@at", at)) == 0) Run(s.InsertOne!, txn, ("@old", rowid));
            });
        }
    }

    private static int Run(SqliteCommand cmd, SqliteTransaction txn, params (string Name, long Value)[] values)
    {
        cmd.Transaction = txn;
        foreach (var (name, value) in values) cmd.Parameters[name].Value = value;
        return cmd.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand cmd, SqliteTransaction txn, long from, long to, string? table = null)
    {
        cmd.Transaction = txn;
        cmd.Parameters["@from"].Value = from;
        cmd.Parameters["@to"].Value = to;
        if (table is not null) cmd.Parameters["@t"].Value = table;
    }

    private sealed record TableStatements(IReadOnlyList<SqliteCommand> SetBased, SqliteCommand Delete, IdMapping.Replay? Mapping)
    {
        public SqliteCommand? OldKey { get; init; }
        public SqliteCommand? UpdateOne { get; init; }
        public SqliteCommand? InsertOne { get; init; }
    }

    // Long: the statements of both replay paths (by sets of rowids, and through _id_mapping), each with why it is written so.
    private TableStatements Statements(TablePlan table)
    {
        if (statements.TryGetValue(table.Table.Name, out var s)) return s;
        var name = $"main.{SqlIdentifier.Quote(table.Table.Name)}";
        // Aliases that cannot shadow the target's own name inside a correlated subquery.
        var o = Alias("mig_o", table.Table.Name);
        var k = Alias("mig_k", table.Table.Name);
        var source = $"old.{SqlIdentifier.Quote(table.Source!.Name)} AS {o}";
        var copied = table.Columns.Where(ComputedFill.ReadsOldRow).ToList();
        string Old(ColumnPlan c) => ComputedFill.Replayed(c, table.Source!.Name, o);
        // Updated in place, new-only columns keep the value they were filled with; inserted (a deleted rowid in use again too), they get their fill.
        // A row value from a correlated subquery, not UPDATE ... FROM: a FROM table's rowid is not
        // addressable there in every SQLite version, and the rowid list drives the plan.
        string Set(string oldRowId) => copied.Count == 0 ? "" :
            $"({string.Join(", ", copied.Select(c => SqlIdentifier.Quote(c.Column.Name)))}) = (SELECT {string.Join(", ", copied.Select(Old))} FROM {source} WHERE {o}.rowid = {oldRowId})";
        var insertColumns = new List<string>();
        var insertValues = new List<string>();
        if (!table.RowIdAliasFromSource) { insertColumns.Add("rowid"); insertValues.Add($"{o}.rowid"); }
        foreach (var c in table.Columns)
        {
            insertColumns.Add(SqlIdentifier.Quote(c.Column.Name));
            insertValues.Add(ComputedFill.ReadsOldRow(c) ? Old(c) : Copier.ValueExpression(c, "NULL"));
        }
        var insert = $"INSERT OR REPLACE INTO {name}({string.Join(", ", insertColumns)}) SELECT {string.Join(", ", insertValues)}";

        // OR REPLACE: a writer's REPLACE (INSERT OR REPLACE, UPDATE OR REPLACE) deletes the rows it
        // conflicts with without firing their delete triggers, so those deletes are not in the log.
        // The old file held its constraints after every logged write; a conflict here is such a
        // silent delete, or a row whose own later entry will put it back.
        var delete = Command($"DELETE FROM {name} WHERE rowid = @rowid", "@rowid");
        if (table.RowIdChanges)
        {
            s = new TableStatements([], delete, new IdMapping.Replay(target, table))
            {
                OldKey = Command($"SELECT {o}.{SqlIdentifier.Quote(table.KeyColumn.Source!)} FROM {source} WHERE {o}.rowid = @old", "@old"),
                // Called only when the old row exists (OldKey found it).
                UpdateOne = Command(copied.Count == 0
                    ? $"UPDATE {name} SET rowid = rowid WHERE rowid = @at AND @old IS NOT NULL"
                    : $"UPDATE OR REPLACE {name} SET {Set("@old")} WHERE rowid = @at", "@old", "@at"),
                InsertOne = Command($"{insert} FROM {source} WHERE {o}.rowid = @old", "@old"),
            };
        }
        else
        {
            // Each statement is driven by the touched rowids (a few thousand), with rowid lookups into
            // both files: never a scan of either table.
            string Touched(bool inOld) => $"SELECT {k}.row_id FROM temp.mig_touched AS {k} WHERE {(inOld ? "" : "NOT ")}EXISTS (SELECT 1 FROM {source} WHERE {o}.rowid = {k}.row_id)";
            var setBased = new List<SqliteCommand>
            {
                Command($"DELETE FROM {name} WHERE rowid IN ({Touched(inOld: false)})"),
                // A rowid the log deleted and that is back (SQLite hands out the highest rowid again) holds another row:
                // the target's row there goes, and the insert below gives the columns only the target has their fill,
                // not what the deleted row held there (a deleted user's password hash would pass to the next user).
                Command($"DELETE FROM {name} WHERE rowid IN (SELECT row_id FROM temp.mig_deleted)"),
            };
            if (copied.Count > 0)
                setBased.Add(Command($"UPDATE OR REPLACE {name} SET {Set($"{name}.rowid")} WHERE rowid IN ({Touched(inOld: true)})"));
            setBased.Add(Command($"{insert} FROM temp.mig_touched AS {k} CROSS JOIN {source} ON {o}.rowid = {k}.row_id WHERE NOT EXISTS (SELECT 1 FROM {name} WHERE {name}.rowid = {k}.row_id)"));
            s = new TableStatements(setBased, delete, null);
        }
        statements[table.Table.Name] = s;
        return s;
    }

    private static string Alias(string preferred, string avoid)
    {
        var alias = preferred;
        while (SqlNameComparer.Same(alias, avoid)) alias += "_";
        return alias;
    }

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        var cmd = target.CreateCommand();
        cmd.CommandText = sql;
        foreach (var p in parameters) cmd.Parameters.AddWithValue(p, DBNull.Value);
        return cmd;
    }

    /// <summary>Disposes the prepared statements.</summary>
    public void Dispose()
    {
        foreach (var s in statements.Values)
        {
            foreach (var c in s.SetBased) c.Dispose();
            s.Delete.Dispose();
            s.OldKey?.Dispose();
            s.UpdateOne?.Dispose();
            s.InsertOne?.Dispose();
            s.Mapping?.Dispose();
        }
        tablesInBatch.Dispose();
        touch.Dispose();
        unreadable.Dispose();
        entries.Dispose();
    }
}
