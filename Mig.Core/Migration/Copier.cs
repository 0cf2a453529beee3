using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// Builds the new file and copies the old data into it in one consistent
/// snapshot (docs/hot-migration.md, rule 2): <c>INSERT INTO main.t SELECT ... FROM old.t</c>
/// over ATTACH, parents first, keys and rowids kept, in rowid chunks so progress
/// shows and memory stays bounded; a table whose records need no change moves them as
/// stored (<see cref="RecordTransfer"/>). Foreign keys are not enforced during the load
/// and secondary indexes are created after it (both many times faster), then
/// keys are checked once.
/// </summary>
internal static class Copier
{
    private const int ChunkRows = 50_000;

    /// <summary>Creates the tables, views and bookkeeping of the new file, status 'migrating'. Secondary indexes come after the copy.</summary>
    public static void CreateSchema(SqliteConnection target, SchemaModel model, string hash, string oldPath)
    {
        using var txn = target.BeginTransaction();
        foreach (var table in model.Tables) SqliteFile.Execute(target, Ddl.CreateTable(table), txn);
        foreach (var view in model.Views) SqliteFile.Execute(target, Ddl.CreateView(view), txn);
        foreach (var sql in Protocol.NewDatabaseStatements(Protocol.Migrating)) SqliteFile.Execute(target, sql, txn);
        foreach (var sql in Bookkeeping.MigrationStatements) SqliteFile.Execute(target, sql, txn);
        Bookkeeping.SetInfo(target, InfoKeys.SchemaHash, hash, txn);
        Bookkeeping.SetInfo(target, InfoKeys.OldDatabase, oldPath, txn);
        Bookkeeping.SetInfo(target, InfoKeys.CreatedAt, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), txn);
        txn.Commit();
    }

    /// <summary>
    /// Copies every planned table from the file attached as <c>old</c>, builds the
    /// secondary indexes, writes the seeds and checks the foreign keys, all in one
    /// transaction whose first read fixes the snapshot, and records the log cutoff
    /// read in that same snapshot (0 offline, where there is no log). With key
    /// violations nothing is committed (the new file keeps its empty tables and no
    /// cutoff) and they are returned; otherwise <paramref name="beforeCommit"/> adds its
    /// writes (given the transaction and the cutoff) and the cutoff is returned.
    /// </summary>
    public static (long Cutoff, IReadOnlyList<string> Violations) Copy(SqliteConnection target, MigrationPlan plan, SchemaModel model, bool online,
        Action<CopyProgress> progress, Action<string> log, Action<SqliteTransaction, long> beforeCommit)
    {
        // The new file's write lock first, then the first read below opens the snapshot of the
        // old file; the old file is only read, so the old service goes on writing.
        using var txn = MainWriteTransaction.Begin(target, Protocol.InfoTable);
        var cutoff = online ? SqliteFile.Scalar(target, $"SELECT coalesce(max(id), 0) FROM old.{Protocol.LogTable}", txn) : 0;
        var clock = Stopwatch.StartNew();
        var built = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in plan.Tables.Where(t => t.Source is not null))
        {
            if (RecordTransfer.TransferredColumns(table) is { } n && RecordTransfer.TryCopy(target, txn, table, n) is { } transfer)
            {
                built.UnionWith(transfer.Indexes);
                progress(new CopyProgress(table.Table.Name, transfer.Rows, transfer.Rows, clock.Elapsed));
                log($"Mig: {table.Table.Name}: records transferred as stored ({transfer.Rows} rows, {transfer.Indexes.Count} of {table.Table.Indexes.Count} indexes with them)");
                FaultPoint.Reached(FaultPoint.Copy);
            }
            else CopyTable(target, txn, table, progress);
        }
        if (online) IdMapping.Fill(target, txn, plan); // offline nothing replays, and the mapping is dropped
        CarrySequences(target, txn, plan);
        log(Step("copied the rows", clock));

        // Still inside the copy's transaction: the indexes and the key check read only the
        // new file, and one commit (one fsync of the whole file) covers data and indexes.
        // It also means a file with a cutoff always has its indexes, seeds and checked keys:
        // a crash or a violation before the commit leaves a copy MigStatus calls incomplete.
        clock.Restart();
        foreach (var table in model.Tables)
            foreach (var ix in table.Indexes.Where(ix => !built.Contains(ix.Name))) SqliteFile.Execute(target, Ddl.CreateIndex(table, ix), txn);
        log(Step("built the indexes", clock));
        if (!online)
        {
            // Online the seeds wait for the end of the drain (Finish): rows the old service writes
            // meanwhile could take a seed's rowid or unique value, and replay would then overwrite
            // or delete the seeded row.
            clock.Restart();
            WriteSeeds(target, model, txn);
            log(Step("wrote the seeds", clock));
        }
        clock.Restart();
        var violations = ForeignKeyViolations(target, model, txn);
        log(Step("checked the foreign keys", clock));
        if (violations.Count > 0) return (0, violations);

        Bookkeeping.SetInfo(target, InfoKeys.Cutoff, cutoff.ToString(CultureInfo.InvariantCulture), txn);
        Bookkeeping.SetInfo(target, InfoKeys.Checkpoint, cutoff.ToString(CultureInfo.InvariantCulture), txn);
        beforeCommit(txn, cutoff);
        FaultPoint.Reached(FaultPoint.CopyCommit);
        clock.Restart();
        txn.Commit();
        log(Step("committed the copy", clock));
        return (cutoff, []);
    }

    /// <summary>
    /// The end of an online drain, writes paused, every captured write replayed: the AUTOINCREMENT
    /// counters again (writes while recording moved them, deletes included), then the seeds. Runs
    /// in the caller's transaction; running it twice changes nothing.
    /// </summary>
    public static void Finish(SqliteConnection target, SqliteTransaction txn, MigrationPlan plan, SchemaModel model)
    {
        CarrySequences(target, txn, plan);
        WriteSeeds(target, model, txn);
    }

    /// <summary>
    /// The rows a seed adds are the only ones the new file may have that the old one lacks; verify
    /// knows them by rowid. A seed never overwrites a copied row: that row is the user's data.
    /// </summary>
    private static void WriteSeeds(SqliteConnection target, SchemaModel model, SqliteTransaction txn)
    {
        foreach (var group in SchemaWriter.WriteSeeds(target, model, onlyMissing: true).GroupBy(s => s.Table, StringComparer.Ordinal))
        {
            var key = InfoKeys.SeededRows(group.Key);
            var earlier = Bookkeeping.Info(target, key, txn: txn) is { Length: > 0 } e ? e + "," : "";
            Bookkeeping.SetInfo(target, key, earlier + string.Join(",", group.Select(s => s.RowId.ToString(CultureInfo.InvariantCulture))), txn);
        }
    }

    /// <summary>A step's log line with its duration, for operators and the benchmark's phase split.</summary>
    internal static string Step(string what, Stopwatch clock) =>
        string.Create(CultureInfo.InvariantCulture, $"Mig: {what} in {clock.Elapsed.TotalSeconds:F3} s");

    private static void CopyTable(SqliteConnection target, SqliteTransaction txn, TablePlan table, Action<CopyProgress> progress)
    {
        var source = table.Source!;
        var from = $"old.{SqlIdentifier.Quote(source.Name)}";
        // The plan counted the rows a moment ago; counting again in the snapshot would scan
        // the table once more for a progress estimate (online it may be a little off).
        var total = Math.Max(0, source.RowCount);
        using var insert = target.CreateCommand();
        insert.Transaction = txn;
        insert.CommandText = $"{InsertSelect(table)} WHERE rowid >= @lo AND rowid <= @hi";
        var lo = insert.Parameters.Add("@lo", SqliteType.Integer);
        var hi = insert.Parameters.Add("@hi", SqliteType.Integer);
        using var seek = target.CreateCommand();
        seek.Transaction = txn;
        seek.CommandText = $"SELECT min(rowid) FROM {from} WHERE rowid >= @lo";
        var seekFrom = seek.Parameters.Add("@lo", SqliteType.Integer);
        using var last = target.CreateCommand();
        last.Transaction = txn;
        last.CommandText = $"SELECT max(rowid) FROM {from}";

        var clock = Stopwatch.StartNew();
        long copied = 0;
        progress(new CopyProgress(table.Table.Name, 0, total, TimeSpan.Zero));
        seekFrom.Value = long.MinValue;
        if (seek.ExecuteScalar() is not long start || last.ExecuteScalar() is not long end) return;
        // Chunks are rowid ranges computed by arithmetic: min() and max() are one b-tree
        // descent each, where finding the rowid 50,000 rows on (the earlier loop) walked
        // every row a second time, about 5 % of the whole copy. Rowids are usually dense;
        // where they are sparse a range that copied under half a chunk doubles the next,
        // and an empty one jumps over the gap with one more descent.
        long from0 = start, span = ChunkRows;
        while (true)
        {
            // Unsigned: end - from0 can exceed long.MaxValue when rowids span negative and positive.
            var to = unchecked((ulong)(end - from0)) < (ulong)(span - 1) ? end : from0 + span - 1;
            lo.Value = from0;
            hi.Value = to;
            var rows = insert.ExecuteNonQuery();
            copied += rows;
            progress(new CopyProgress(table.Table.Name, copied, total, clock.Elapsed));
            FaultPoint.Reached(FaultPoint.Copy);
            if (to == end) break;
            from0 = to + 1;
            if (rows == 0)
            {
                seekFrom.Value = from0;
                if (seek.ExecuteScalar() is not long found) break;
                from0 = found;
            }
            if (rows < ChunkRows / 2 && span <= long.MaxValue / 2) span *= 2;
            else if (rows > ChunkRows * 2) span = Math.Max(1, span / 2);
        }
    }

    /// <summary>
    /// AUTOINCREMENT never hands out a key again, even one whose row was deleted; the
    /// copied rows alone would let the new file reuse keys above the highest survivor,
    /// so the old file's counters come along (in the snapshot, as the rows do).
    /// </summary>
    private static void CarrySequences(SqliteConnection target, SqliteTransaction txn, MigrationPlan plan)
    {
        if (!SqliteFile.TableExists(target, txn, "sqlite_sequence", "old")) return;
        foreach (var table in plan.Tables.Where(t => t.Source is not null && t.Table.AutoIncrement))
        {
            using var cmd = target.CreateCommand();
            cmd.Transaction = txn;
            cmd.CommandText = "DELETE FROM main.sqlite_sequence WHERE name = @new AND seq < (SELECT max(seq) FROM old.sqlite_sequence WHERE name = @old);" +
                              "INSERT INTO main.sqlite_sequence(name, seq) SELECT @new, seq FROM (SELECT max(seq) AS seq FROM old.sqlite_sequence WHERE name = @old) " +
                              "WHERE seq IS NOT NULL AND NOT EXISTS (SELECT 1 FROM main.sqlite_sequence WHERE name = @new)";
            cmd.Parameters.AddWithValue("@new", table.Table.Name);
            cmd.Parameters.AddWithValue("@old", table.Source!.Name);
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// The statement that copies a table, without the rowid range each chunk adds:
    /// <c>INSERT INTO main.t(columns) SELECT values FROM old.s</c> (also what plan SQL shows).
    /// </summary>
    internal static string InsertSelect(TablePlan table)
    {
        var (columns, values) = InsertLists(table);
        return $"INSERT INTO main.{SqlIdentifier.Quote(table.Table.Name)}({string.Join(", ", columns)}) SELECT {string.Join(", ", values)} FROM old.{SqlIdentifier.Quote(table.Source!.Name)}";
    }

    /// <summary>
    /// The column list and SELECT expressions of a table's copy. The rowid is
    /// carried explicitly unless the new INTEGER PRIMARY KEY already carries it,
    /// so replay can find every row by the old rowid.
    /// </summary>
    internal static (List<string> Columns, List<string> Values) InsertLists(TablePlan table)
    {
        var columns = new List<string>();
        var values = new List<string>();
        if (!table.RowIdAliasFromSource)
        {
            columns.Add("rowid");
            values.Add("rowid");
        }
        foreach (var c in table.Columns)
        {
            columns.Add(SqlIdentifier.Quote(c.Column.Name));
            values.Add(ValueExpression(c, SqlIdentifier.Quote(c.Source ?? "")));
        }
        return (columns, values);
    }

    /// <summary>The SQL value of a new column, given the SQL of its old value (a column or a parameter).</summary>
    internal static string ValueExpression(ColumnPlan c, string oldValue)
    {
        var value = c.Fill switch
        {
            FillKind.Copy => oldValue,
            FillKind.Convert => $"CAST({oldValue} AS {TypeMapping.Keyword(c.Column.Type)})",
            FillKind.EnumConvert => EnumConversion.Expression(c.Column, c.Enum!, oldValue),
            FillKind.Default => c.Column.Default!,
            FillKind.DefaultExpression => $"({c.Column.DefaultExpression})",
            FillKind.Computed => ComputedFill.Value(c),
            _ => "NULL",
        };
        // A column that became NOT NULL takes its default where the old value (or the expression) is NULL.
        if (c.Fill is FillKind.Copy or FillKind.Convert or FillKind.EnumConvert or FillKind.Computed && c.Column.NotNull && (c.Column.Default ?? (c.Column.DefaultExpression is { } e ? $"({e})" : null)) is { } fallback)
            value = $"coalesce({value}, {fallback})";
        return value;
    }

    /// <summary>
    /// Up to ten foreign key violations, as text. One anti-join per key of the model
    /// rather than <c>pragma foreign_key_check</c>: the pragma walks each child table
    /// and probes its parent in random order through a small page cache (3.3 s on a
    /// million rows, docs/benchmarks-migration.md). <c>LEFT JOIN ... WHERE parent IS NULL</c>
    /// scans the child's key index in key order with one parent lookup per row as a
    /// plain join step, about three times faster than the same test as a correlated
    /// <c>NOT EXISTS</c> subquery. A matched parent key is never NULL (= never matches
    /// NULL), so a NULL parent column means no parent. A key with a NULL column holds, as in SQLite.
    /// </summary>
    public static IReadOnlyList<string> ForeignKeyViolations(SqliteConnection target, SchemaModel model, SqliteTransaction? txn = null)
    {
        var result = new List<string>();
        foreach (var table in model.Tables)
        {
            foreach (var fk in table.ForeignKeys)
            {
                var present = string.Join(" AND ", fk.Columns.Select(c => $"c.{SqlIdentifier.Quote(c)} IS NOT NULL"));
                var match = string.Join(" AND ", fk.Columns.Select((c, i) => $"p.{SqlIdentifier.Quote(fk.ReferencedColumns[i])} = c.{SqlIdentifier.Quote(c)}"));
                using var cmd = target.CreateCommand();
                cmd.Transaction = txn;
                cmd.CommandText = $"SELECT c.rowid FROM main.{SqlIdentifier.Quote(table.Name)} c LEFT JOIN main.{SqlIdentifier.Quote(fk.ReferencedTable)} p ON {match} " +
                                  $"WHERE {present} AND p.{SqlIdentifier.Quote(fk.ReferencedColumns[0])} IS NULL LIMIT {10 - result.Count}";
                using var r = cmd.ExecuteReader();
                while (r.Read())
                    result.Add($"{table.Name} rowid {r.GetInt64(0).ToString(CultureInfo.InvariantCulture)} references a missing {fk.ReferencedTable} row ({string.Join(", ", fk.Columns)})");
                if (result.Count >= 10) return result;
            }
        }
        return result;
    }
}
