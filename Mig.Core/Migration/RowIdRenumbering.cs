using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// Tells when the old file was rebuilt by <c>VACUUM</c> while the migration recorded. VACUUM gives new
/// rowids to the rows of a table with neither an INTEGER PRIMARY KEY nor any index (it keeps them
/// otherwise), and fires no trigger: the log then names rows by rowids that now belong to other rows,
/// and replay would write them onto the wrong rows of the new file. VACUUM also adds one to the
/// schema cookie while the schema's text stays as it was, which nothing else a service does in
/// SQLite does (DDL changes the text; ANALYZE after the first, REINDEX and PRAGMA optimize leave the
/// cookie). So Mig records the cookie and a hash of the schema's text after each of its own schema
/// changes to the file and refuses (MIG0083) when the cookie moved and the text did not, but only
/// while such a table is captured. When the text changed too (another tool's table, a first ANALYZE)
/// a VACUUM cannot be told apart; the verification before cutover still compares every row.
/// </summary>
internal static class RowIdRenumbering
{
    /// <summary>Records the file's cookie and schema text, inside the transaction that made Mig's own change.</summary>
    public static void Record(SqliteConnection c, SqliteTransaction txn) =>
        Bookkeeping.SetFact(c, Protocol.OldInfoTable, OldInfoKeys.SchemaCookie, State(c, "main", txn), txn);

    /// <summary>
    /// The tables among <paramref name="tables"/> whose rowids may have changed because the file was rebuilt since
    /// <see cref="Record"/>; empty when it was not, or when none of them can be renumbered.
    /// </summary>
    public static IReadOnlyList<string> Renumbered(SqliteConnection c, string schema, SqliteTransaction? txn, IReadOnlyList<string> tables)
    {
        var recorded = Capture.Info(c, OldInfoKeys.SchemaCookie, schema, txn);
        if (recorded is null) return []; // capture installed by an earlier Mig
        var now = State(c, schema, txn);
        if (now == recorded || Text(now) != Text(recorded)) return [];
        return [.. tables.Where(t => Exposed(c, schema, txn, t))];
    }

    /// <summary>Refuses (MIG0083) when the file was rebuilt since <see cref="Record"/> and a captured table's rowids may have changed.</summary>
    public static void Require(SqliteConnection c, string schema, SqliteTransaction? txn, IReadOnlyList<string> captured)
    {
        var exposed = Renumbered(c, schema, txn, captured);
        if (exposed.Count == 0) return;
        throw new MigOperationException(MigCode.OldFileRebuilt,
            $"The old file was rebuilt (VACUUM) while the migration recorded: SQLite may have given new rowids to the rows of {string.Join(", ", exposed)} " +
            "(no INTEGER PRIMARY KEY and no index), and the captured writes name rows by rowid, so replaying them could change the wrong rows of the new file. " +
            "Nothing was paused, replayed or cut over by this step. Run MigReset (the old service writes as before), then MigMigrate again, and do not VACUUM the old file while a migration is in progress " +
            "(or give those tables a primary key or an index first: VACUUM keeps the rowids of such tables).");
    }

    /// <summary>A table VACUUM renumbers: no index at all (a non-INTEGER key always has one) and no key column (so no INTEGER PRIMARY KEY either).</summary>
    private static bool Exposed(SqliteConnection c, string schema, SqliteTransaction? txn, string table)
    {
        var name = Capture.Literal(table);
        var s = Capture.Literal(schema);
        return SqliteFile.Scalar(c, $"SELECT (SELECT count(*) FROM pragma_index_list({name}, {s})) + (SELECT count(*) FROM pragma_table_info({name}, {s}) WHERE pk > 0)", txn) == 0
            && SqliteFile.TableExists(c, txn, table, schema);
    }

    private static string State(SqliteConnection c, string schema, SqliteTransaction? txn)
    {
        var cookie = SqliteFile.Scalar(c, $"PRAGMA {schema}.schema_version", txn);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = txn;
            cmd.CommandText = $"SELECT type, name, tbl_name, coalesce(sql, '') FROM {schema}.sqlite_schema ORDER BY type, name";
            using var r = cmd.ExecuteReader();
            while (r.Read())
                for (var i = 0; i < 4; i++) sha.AppendData(Encoding.UTF8.GetBytes(r.GetString(i) + (i == 3 ? "\n" : "\0")));
        }
        return cookie.ToString(CultureInfo.InvariantCulture) + " " + Convert.ToHexString(sha.GetHashAndReset());
    }

    private static string Text(string state) => state[(state.IndexOf(' ', StringComparison.Ordinal) + 1)..];
}
