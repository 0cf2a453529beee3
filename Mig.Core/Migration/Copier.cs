using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>Progress of one table's copy.</summary>
public sealed record CopyProgress(string Table, long Copied, long Total, TimeSpan Elapsed)
{
    /// <summary>Rows per second so far.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Copied / Elapsed.TotalSeconds : 0;

    /// <summary>Estimated time left for this table.</summary>
    public TimeSpan Eta => RowsPerSecond > 0 ? TimeSpan.FromSeconds((Total - Copied) / RowsPerSecond) : TimeSpan.Zero;
}

/// <summary>
/// Builds the new file and copies the old data into it in one consistent
/// snapshot (hot-migration.md, rule 2): <c>INSERT INTO main.t SELECT ... FROM old.t</c>
/// over ATTACH, parents first, keys and rowids kept, in rowid chunks so progress
/// shows and memory stays bounded. Foreign keys are not enforced during the load
/// and secondary indexes are created after it (both many times faster), then
/// keys are checked once.
/// </summary>
public static class Copier
{
    private const int ChunkRows = 50_000;

    /// <summary>Creates the tables, views and bookkeeping of the new file, status 'migrating'. Secondary indexes come after the copy.</summary>
    public static void CreateSchema(SqliteConnection target, SchemaModel model, string hash, string oldPath)
    {
        using var txn = target.BeginTransaction();
        foreach (var table in model.Tables) NewDatabase.Execute(target, Ddl.CreateTable(table), txn);
        foreach (var view in model.Views) NewDatabase.Execute(target, Ddl.CreateView(view), txn);
        foreach (var sql in Protocol.NewDatabaseStatements(Protocol.Migrating)) NewDatabase.Execute(target, sql, txn);
        foreach (var sql in NewDatabase.MigrationStatements) NewDatabase.Execute(target, sql, txn);
        NewDatabase.SetInfo(target, "schema_hash", hash, txn);
        NewDatabase.SetInfo(target, "old_database", oldPath, txn);
        NewDatabase.SetInfo(target, "created_at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), txn);
        txn.Commit();
    }

    /// <summary>
    /// Copies every planned table from the file attached as <c>old</c>, in one
    /// transaction whose first read fixes the snapshot; returns the log cutoff read
    /// in that same snapshot (0 offline, where there is no log).
    /// </summary>
    public static long Copy(SqliteConnection target, MigrationPlan plan, bool online, Action<CopyProgress> progress)
    {
        // Deferred: BEGIN IMMEDIATE would take the write lock of every attached file, the
        // old one included, and block the old service for the whole copy. The first read
        // below opens the snapshot of the old file; the inserts lock only the new one.
        using var txn = target.BeginTransaction(deferred: true);
        var cutoff = online ? NewDatabase.Scalar(target, $"SELECT coalesce(max(id), 0) FROM old.{Protocol.LogTable}", txn) : 0;
        foreach (var table in plan.Tables.Where(t => t.Source is not null))
            CopyTable(target, txn, table, progress);
        if (online) IdMapping.Fill(target, txn, plan); // offline nothing replays, and the mapping is dropped
        CarrySequences(target, txn, plan);
        NewDatabase.SetInfo(target, "cutoff", cutoff.ToString(CultureInfo.InvariantCulture), txn);
        NewDatabase.SetInfo(target, "checkpoint", cutoff.ToString(CultureInfo.InvariantCulture), txn);
        txn.Commit();
        return cutoff;
    }

    private static void CopyTable(SqliteConnection target, SqliteTransaction txn, TablePlan table, Action<CopyProgress> progress)
    {
        var source = table.Source!;
        var from = $"old.{SqlIdentifier.Quote(source.Name)}";
        var total = NewDatabase.Scalar(target, $"SELECT count(*) FROM {from}", txn);
        var (columns, values) = InsertLists(table);
        using var insert = target.CreateCommand();
        insert.Transaction = txn;
        insert.CommandText = $"INSERT INTO main.{SqlIdentifier.Quote(table.Table.Name)}({string.Join(", ", columns)}) SELECT {string.Join(", ", values)} FROM {from} WHERE rowid > @lo AND rowid <= @hi";
        var lo = insert.Parameters.Add("@lo", SqliteType.Integer);
        var hi = insert.Parameters.Add("@hi", SqliteType.Integer);
        using var next = target.CreateCommand();
        next.Transaction = txn;
        next.CommandText = $"SELECT max(rowid) FROM (SELECT rowid FROM {from} WHERE rowid > @lo ORDER BY rowid LIMIT {ChunkRows})";
        var nextLo = next.Parameters.Add("@lo", SqliteType.Integer);

        var clock = Stopwatch.StartNew();
        long copied = 0, last = long.MinValue;
        progress(new CopyProgress(table.Table.Name, 0, total, TimeSpan.Zero));
        while (true)
        {
            nextLo.Value = last;
            if (next.ExecuteScalar() is not long upTo) break;
            lo.Value = last;
            hi.Value = upTo;
            copied += insert.ExecuteNonQuery();
            last = upTo;
            progress(new CopyProgress(table.Table.Name, copied, total, clock.Elapsed));
            FaultPoint.Reached(FaultPoint.Copy);
        }
    }

    /// <summary>
    /// AUTOINCREMENT never hands out a key again, even one whose row was deleted; the
    /// copied rows alone would let the new file reuse keys above the highest survivor,
    /// so the old file's counters come along (in the snapshot, as the rows do).
    /// </summary>
    private static void CarrySequences(SqliteConnection target, SqliteTransaction txn, MigrationPlan plan)
    {
        if (!Capture.TableExists(target, txn, "sqlite_sequence", "old")) return;
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
            FillKind.Convert => $"CAST({oldValue} AS {SqlValues.Keyword(c.Column.Type)})",
            FillKind.Default => c.Column.Default!,
            FillKind.DefaultExpression => $"({c.Column.DefaultExpression})",
            _ => "NULL",
        };
        // A column that became NOT NULL takes its default where the old value is NULL.
        if (c.Fill is FillKind.Copy or FillKind.Convert && c.Column.NotNull && (c.Column.Default ?? (c.Column.DefaultExpression is { } e ? $"({e})" : null)) is { } fallback)
            value = $"coalesce({value}, {fallback})";
        return value;
    }

    /// <summary>After the load: secondary indexes, seeds (upserts by key), then one foreign key check.</summary>
    public static IReadOnlyList<string> Finish(SqliteConnection target, SchemaModel model)
    {
        // Deferred for the same reason as the copy: the old file is still attached.
        using (var txn = target.BeginTransaction(deferred: true))
        {
            foreach (var table in model.Tables)
                foreach (var ix in table.Indexes) NewDatabase.Execute(target, Ddl.CreateIndex(table, ix), txn);
            SchemaWriter.WriteSeeds(target, model);
            txn.Commit();
        }
        return ForeignKeyViolations(target, model);
    }

    /// <summary>
    /// Up to ten foreign key violations, as text. One NOT EXISTS query per key of
    /// the model rather than <c>pragma foreign_key_check</c>: the pragma walks each
    /// child table and probes its parent in random order through a small page
    /// cache, and measured 3.3 s against 0.3 s for these queries on a million rows
    /// (docs/benchmarks-migration.md). A key with a NULL column holds, as in SQLite.
    /// </summary>
    public static IReadOnlyList<string> ForeignKeyViolations(SqliteConnection target, SchemaModel model)
    {
        var result = new List<string>();
        foreach (var table in model.Tables)
        {
            foreach (var fk in table.ForeignKeys)
            {
                var present = string.Join(" AND ", fk.Columns.Select(c => $"c.{SqlIdentifier.Quote(c)} IS NOT NULL"));
                var match = string.Join(" AND ", fk.Columns.Select((c, i) => $"p.{SqlIdentifier.Quote(fk.ReferencedColumns[i])} = c.{SqlIdentifier.Quote(c)}"));
                using var cmd = target.CreateCommand();
                cmd.CommandText = $"SELECT c.rowid FROM main.{SqlIdentifier.Quote(table.Name)} c WHERE {present} AND NOT EXISTS (SELECT 1 FROM main.{SqlIdentifier.Quote(fk.ReferencedTable)} p WHERE {match}) LIMIT {10 - result.Count}";
                using var r = cmd.ExecuteReader();
                while (r.Read())
                    result.Add($"{table.Name} rowid {r.GetInt64(0).ToString(CultureInfo.InvariantCulture)} references a missing {fk.ReferencedTable} row ({string.Join(", ", fk.Columns)})");
                if (result.Count >= 10) return result;
            }
        }
        return result;
    }
}
