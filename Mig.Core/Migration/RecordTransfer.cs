using Microsoft.Data.Sqlite;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// Copies a table whose stored records the new schema reads unchanged through SQLite's transfer
/// optimization: <c>INSERT INTO main.t SELECT * FROM old.s</c> moves each record, and each entry of
/// an index the old file already has in the same form, as stored, without decoding a value (about a
/// third less work than the column-by-column copy plus a fresh index build; docs/hot-migration.md).
/// That holds when the old columns are the new table's first columns in the same order (renames
/// change no record) and the other new columns come after them with a constant default: SQLite reads
/// a column missing from the end of a record as its default, which is how <c>ALTER TABLE ADD COLUMN</c>
/// works, and those columns are added that way after the transfer.
/// Mig decides what may transfer from the plan; SQLite decides what does (it refuses on any
/// difference of affinity, collation, NOT NULL, default, CHECK or index), and Mig reads its decision
/// from the statement's program before running it. Anything else, or any doubt, is the ordinary copy.
/// </summary>
internal static class RecordTransfer
{
    private const string Savepoint = "mig_record_transfer";

    [ThreadStatic] private static bool disabled;

    /// <summary>False only in tests that compare the transfer with the ordinary copy (per thread: tests run in parallel).</summary>
    internal static bool Enabled { get => !disabled; set => disabled = !value; }

    /// <summary>
    /// How many leading columns of the new table come as stored from the old table, or null when the
    /// table cannot transfer: the old columns must be the new table's first ones, each a plain copy of
    /// the old column at the same position, the new INTEGER PRIMARY KEY the old rowid (or neither table
    /// has one), and every column
    /// after them a new one SQLite can add with a constant default (no key, unique or foreign key).
    /// </summary>
    internal static int? TransferredColumns(TablePlan table)
    {
        if (!Enabled || table.Source is not { WithoutRowId: false, Kind: "table" } old) return null;
        if (table.RowIdChanges || old.Columns.Any(c => c.Generated)) return null;
        // Either both tables key their rows by an INTEGER PRIMARY KEY that carries the old rowid, or
        // neither has one (a TEXT or composite key): then the old records hold every key value, and the
        // rowids must come over as they are (checked after the transfer, TryCopy).
        var aliased = old.RowIdAlias is not null;
        if (aliased != table.RowIdAliasFromSource) return null;
        var n = old.Columns.Count;
        if (n == 0 || n > table.Columns.Count || (aliased && table.Table.PrimaryKey.Count != 1)) return null;
        for (var i = 0; i < n; i++)
        {
            var (c, o) = (table.Columns[i], old.Columns[i]);
            if (c.Fill != FillKind.Copy || c.Source is null || !SqlNameComparer.Same(c.Source, o.Name)) return null;
            // The copy would fill a NULL with the default (Copier.ValueExpression); a NOT NULL old column has none.
            if (c.Column.NotNull && !o.NotNull && !(aliased && SqlNameComparer.Same(o.Name, old.RowIdAlias))) return null;
        }
        if (aliased && !SqlNameComparer.Same(table.Columns.Single(c => c.Column.Name == table.Table.PrimaryKey[0]).Source ?? "", old.RowIdAlias)) return null;
        var added = table.Columns.Skip(n).Select(c => c.Column).ToList();
        if (added.Count == 0) return n;
        // A table CHECK may name an added column, which the shape created before the transfer lacks.
        if (table.Table.Checks.Count > 0 || table.Columns.Skip(n).Any(c => c.Fill is not (FillKind.Default or FillKind.Null))) return null;
        var constrained = table.Table.Uniques.SelectMany(u => u).Concat(table.Table.ForeignKeys.SelectMany(f => f.Columns)).Concat(table.Table.PrimaryKey);
        return added.Any(c => constrained.Contains(c.Name, StringComparer.Ordinal)) ? null : n;
    }

    /// <summary>
    /// Transfers the table when it can (see the class), in a savepoint of the copy's transaction:
    /// recreates the empty table with its first <paramref name="columns"/> columns, creates the indexes the
    /// old file has in the same form, transfers, adds the remaining columns, and checks that the table
    /// SQLite now describes is the one <see cref="Ddl.CreateTable"/> makes. Returns the rows copied and the indexes
    /// it built, or null when it changed nothing and the ordinary copy must run.
    /// </summary>
    internal static (long Rows, IReadOnlyList<string> Indexes)? TryCopy(SqliteConnection target, SqliteTransaction txn, TablePlan table, int columns)
    {
        var model = table.Table;
        var shape = model with { Columns = [.. model.Columns.Take(columns)], Indexes = [] };
        var oldIndexes = OldIndex.ReadAll(target, txn, table.Source!.Name);
        var early = model.Indexes.Where(ix => oldIndexes.Any(o => o.Matches(ix, table))).ToList();
        var insert = $"INSERT INTO main.{SqlIdentifier.Quote(model.Name)} SELECT * FROM old.{SqlIdentifier.Quote(table.Source!.Name)}";
        long rows;
        txn.Save(Savepoint);
        try
        {
            SqliteFile.Execute(target, $"DROP TABLE main.{SqlIdentifier.Quote(model.Name)}", txn);
            SqliteFile.Execute(target, Ddl.CreateTable(shape), txn);
            foreach (var ix in early) SqliteFile.Execute(target, Ddl.CreateIndex(model, ix), txn);
            if (!IsTransfer(target, txn, insert))
            {
                Undo(txn);
                return null;
            }
            using (var cmd = target.CreateCommand())
            {
                cmd.Transaction = txn;
                cmd.CommandText = insert;
                rows = cmd.ExecuteNonQuery();
            }
            foreach (var c in model.Columns.Skip(columns))
                SqliteFile.Execute(target, $"ALTER TABLE main.{SqlIdentifier.Quote(model.Name)} ADD COLUMN {Ddl.ColumnDefinition(model, c)}", txn);
            if (!TableShape.Same(target, txn, model) || (!table.RowIdAliasFromSource && !SameRowIds(target, txn, model.Name, table.Source.Name, rows)))
            {
                Undo(txn);
                return null;
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 1 or 19)
        {
            // SQLite refused a statement of the shape (SQLITE_ERROR), or ALTER TABLE a column it cannot add
            // to a table with rows (its check raises SQLITE_CONSTRAINT): the statement changed nothing and
            // the savepoint takes back the rest. Should the transaction itself be gone, Rollback throws.
            Undo(txn);
            return null;
        }
        txn.Release(Savepoint);
        return (rows, [.. early.Select(ix => ix.Name)]);
    }

    /// <summary>
    /// Whether the transfer kept the old rowids of a table without an INTEGER PRIMARY KEY: SQLite keeps them
    /// when the table has an index and numbers the rows 1..n otherwise. The rows come in rowid order and are
    /// distinct, so equal count, least and greatest rowid prove them kept either way (1..n is itself kept).
    /// </summary>
    private static bool SameRowIds(SqliteConnection target, SqliteTransaction txn, string table, string source, long rows)
    {
        var (t, o) = ($"main.{SqlIdentifier.Quote(table)}", $"old.{SqlIdentifier.Quote(source)}");
        if (SqliteFile.Scalar(target, $"SELECT count(*) FROM {o}", txn) != rows || SqliteFile.Scalar(target, $"SELECT count(*) FROM {t}", txn) != rows) return false;
        return rows == 0 || (SqliteFile.Scalar(target, $"SELECT min(rowid) FROM {t}", txn) == SqliteFile.Scalar(target, $"SELECT min(rowid) FROM {o}", txn)
            && SqliteFile.Scalar(target, $"SELECT max(rowid) FROM {t}", txn) == SqliteFile.Scalar(target, $"SELECT max(rowid) FROM {o}", txn));
    }

    private static void Undo(SqliteTransaction txn)
    {
        txn.Rollback(Savepoint);
        txn.Release(Savepoint);
    }

    /// <summary>
    /// Whether SQLite compiled the insert as a transfer: its program moves whole records (<c>RowData</c>).
    /// Where the transfer needs an empty table (a unique index) the program also holds the ordinary copy
    /// behind a test that the table is empty, which it is here.
    /// </summary>
    private static bool IsTransfer(SqliteConnection target, SqliteTransaction txn, string insert)
    {
        using var cmd = target.CreateCommand();
        cmd.Transaction = txn;
        cmd.CommandText = "EXPLAIN " + insert;
        var opcodes = new HashSet<string>(StringComparer.Ordinal);
        using var r = cmd.ExecuteReader();
        while (r.Read()) opcodes.Add(r.GetString(1));
        return opcodes.Contains("RowData");
    }
}
