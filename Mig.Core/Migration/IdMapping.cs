using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Schema;

namespace Mig.Migration;

/// <summary>
/// <c>_id_mapping</c> for the tables whose rowid changes (<see cref="TablePlan.RowIdChanges"/>):
/// an old <c>INT PRIMARY KEY</c> or numeric <c>TEXT PRIMARY KEY</c> becomes the new INTEGER
/// PRIMARY KEY. The key value is kept (so foreign keys need no translation) but the rowid
/// becomes that value, while captured writes name the old rowid. The mapping holds
/// (new table, old rowid, new rowid) only where the two differ (docs/hot-migration.md, rule 3).
/// <para>
/// Invariant, kept by the copy and by every replayed write: each row of such a table belongs to
/// exactly one old rowid, which is the <c>old_id</c> of the mapping entry whose <c>new_id</c> is
/// the row's rowid, or the row's own rowid when no entry names it. So an old rowid without an
/// entry is at the same new rowid only if no other old rowid claims that new rowid.
/// </para>
/// </summary>
internal static class IdMapping
{
    /// <summary>
    /// Fills the mapping of every table whose rowid changes from the rows just copied, in the
    /// copy's transaction (so in its snapshot): one <c>INSERT ... SELECT</c> per table over the
    /// attached old file, computing the new rowid with the same expression the copy used.
    /// </summary>
    public static void Fill(SqliteConnection target, SqliteTransaction txn, MigrationPlan plan)
    {
        var tables = plan.Tables.Where(t => t.Source is not null && t.RowIdChanges).ToList();
        if (tables.Count == 0) return;
        foreach (var t in tables)
        {
            var newId = NewRowId(t, SqlIdentifier.Quote(t.KeyColumn.Source!));
            using var cmd = target.CreateCommand();
            cmd.Transaction = txn;
            cmd.CommandText = $"INSERT INTO main.{Protocol.IdMappingTable}(table_name, old_id, new_id) " +
                              $"SELECT @t, rowid, {newId} FROM old.{SqlIdentifier.Quote(t.Source!.Name)} WHERE {newId} IS NOT rowid";
            cmd.Parameters.AddWithValue("@t", t.Table.Name);
            cmd.ExecuteNonQuery();
        }
        // Replay and verify look entries up by new_id as well (who owns this new rowid?). After the
        // rows, as with every other index: building it once is faster than keeping it up.
        SqliteFile.Execute(target, $"CREATE INDEX IF NOT EXISTS main.{Protocol.IdMappingIndex} ON {Protocol.IdMappingTable}(table_name, new_id)", txn);
    }

    /// <summary>The new rowid of an old row, as the copy computes it: the old key converted as the plan converts it.</summary>
    internal static string NewRowId(TablePlan table, string oldKey) => Copier.ValueExpression(table.KeyColumn, oldKey);

    /// <summary>
    /// SQL for the new rowid of the old row whose rowid is <paramref name="oldRowId"/> (an expression
    /// over <c>main</c>, where the mapping lives), or NULL when that old rowid has no row in the new file
    /// because another old rowid owns its number.
    /// </summary>
    internal static string Forward(string tableParameter, string oldRowId) =>
        $"coalesce((SELECT new_id FROM main.{Protocol.IdMappingTable} WHERE table_name = {tableParameter} AND old_id = {oldRowId}), " +
        $"CASE WHEN EXISTS (SELECT 1 FROM main.{Protocol.IdMappingTable} WHERE table_name = {tableParameter} AND new_id = {oldRowId}) THEN NULL ELSE {oldRowId} END)";

    /// <summary>True when the new file still has the mapping (it is dropped at cutover).</summary>
    internal static bool Exists(SqliteConnection target) => SqliteFile.TableExists(target, null, Protocol.IdMappingTable);

    /// <summary>
    /// The rowid expression of the old side of a verification: the old rowid followed through the
    /// mapping while it exists, else the new rowid computed from the key (after cutover). Plain
    /// <c>rowid</c> for every other table.
    /// </summary>
    internal static string VerifiedRowId(TablePlan table, bool mappingExists)
    {
        // Qualified, so it also reads right inside a subquery over the new table.
        var source = $"old.{SqlIdentifier.Quote(table.Source!.Name)}";
        return !table.RowIdChanges ? $"{source}.rowid"
            : mappingExists ? Forward(Capture.Literal(table.Table.Name), $"{source}.rowid")
            : NewRowId(table, $"{source}.{SqlIdentifier.Quote(table.KeyColumn.Source!)}");
    }

    /// <summary>
    /// Replays captured writes to one table whose rowid changes. The caller's <c>upsert</c> writes the
    /// image at a given new rowid and its <c>delete</c> removes the row at one; this decides which
    /// rowids and keeps the mapping. Each step follows from the image alone, so replaying an entry twice converges.
    /// </summary>
    internal sealed class Replay(SqliteConnection target, TablePlan table) : IDisposable
    {
        private readonly SqliteCommand forward = Command(target, $"SELECT {Forward("@t", "@old")}", table, "@old");
        private readonly SqliteCommand newRowId = Command(target,
            $"SELECT CASE WHEN @key IS NOT NULL AND ({Planner.Survives("@key", SqlType.Integer)}) THEN {NewRowId(table, "@key")} END", table, "@key");
        private readonly SqliteCommand forget = Command(target, $"DELETE FROM main.{Protocol.IdMappingTable} WHERE table_name = @t AND old_id = @old", table, "@old");
        private readonly SqliteCommand claim = Command(target,
            $"DELETE FROM main.{Protocol.IdMappingTable} WHERE table_name = @t AND new_id = @new AND old_id <> @old;" +
            $"INSERT INTO main.{Protocol.IdMappingTable}(table_name, old_id, new_id) SELECT @t, @old, @new WHERE @new <> @old " +
            "ON CONFLICT(table_name, old_id) DO UPDATE SET new_id = excluded.new_id;" +
            $"DELETE FROM main.{Protocol.IdMappingTable} WHERE table_name = @t AND old_id = @old AND @new = @old", table, "@old", "@new");

        /// <summary>The old key column, whose value in the row image gives the new rowid.</summary>
        public string KeySource { get; } = table.KeyColumn.Source!;

        /// <summary>A delete logs only the old rowid: the row goes wherever the mapping puts it.</summary>
        public void Delete(SqliteTransaction txn, long oldRowId, Action<long> delete) => Remove(txn, oldRowId, delete);

        /// <summary>
        /// An insert or update of old row <paramref name="oldRowId"/> (that was <paramref name="movedFrom"/>
        /// before an update changed the rowid): the row lands at the rowid its key gives, leaving where it was.
        /// </summary>
        public void Upsert(SqliteTransaction txn, long oldRowId, long? movedFrom, object key, Action<long> delete, Action<long> upsert)
        {
            if (movedFrom is { } from && from != oldRowId) Remove(txn, from, delete);
            newRowId.Transaction = txn;
            newRowId.Parameters["@key"].Value = key;
            if (newRowId.ExecuteScalar() is not long newId)
                throw new MigOperationException(MigCode.UnconvertibleKey,
                    $"A write captured on {table.Source!.Name} (rowid {oldRowId.ToString(CultureInfo.InvariantCulture)}) has the key {KeySource} = {Show(key)}, " +
                    $"which does not convert to the INTEGER PRIMARY KEY {table.Table.Name}.{table.KeyColumn.Column.Name} of the new schema. Replay stopped " +
                    "before it (the checkpoint is before this write; MigDrain would stop here again). Run MigReset (the old file takes writes again), " +
                    "correct that key in the old file, then MigMigrate again.");
            if (Lookup(txn, oldRowId) is { } current && current != newId) delete(current); // the key changed: the row moves
            claim.Transaction = txn;
            claim.Parameters["@old"].Value = oldRowId;
            claim.Parameters["@new"].Value = newId;
            claim.ExecuteNonQuery();
            upsert(newId);
        }

        private void Remove(SqliteTransaction txn, long oldRowId, Action<long> delete)
        {
            if (Lookup(txn, oldRowId) is { } current) delete(current);
            forget.Transaction = txn;
            forget.Parameters["@old"].Value = oldRowId;
            forget.ExecuteNonQuery();
        }

        private long? Lookup(SqliteTransaction txn, long oldRowId)
        {
            forward.Transaction = txn;
            forward.Parameters["@old"].Value = oldRowId;
            return forward.ExecuteScalar() as long?;
        }

        private static string Show(object key) => key switch
        {
            DBNull => "NULL",
            string s => Capture.Literal(s),
            byte[] b => "x'" + Convert.ToHexString(b) + "'",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => key.ToString() ?? "",
        };

        private static SqliteCommand Command(SqliteConnection target, string sql, TablePlan table, params string[] parameters)
        {
            var cmd = target.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("@t", table.Table.Name);
            // No declared type: the key binds with its own storage class, as the old file held it.
            foreach (var p in parameters) cmd.Parameters.AddWithValue(p, DBNull.Value);
            return cmd;
        }

        public void Dispose()
        {
            forward.Dispose();
            newRowId.Dispose();
            forget.Dispose();
            claim.Dispose();
        }
    }
}
