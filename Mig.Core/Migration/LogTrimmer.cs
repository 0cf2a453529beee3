using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// Removes replayed entries from the old file's capture log while the old service writes, so a long
/// recording does not grow the old file without bound (docs/hot-migration.md, catch-up). Each
/// transaction removes at most <see cref="Entries"/> entries (a few milliseconds of the write lock),
/// and the writers waiting on their busy timeout get the lock between two of them.
/// <para>
/// Only entries at or below a checkpoint the new file holds durably are removed, and never the
/// newest entry: without AUTOINCREMENT (Mig does not create <c>sqlite_sequence</c>) the next id is
/// the highest one plus 1, and an emptied log would hand out ids at or below the checkpoint again,
/// which replay would skip.
/// </para>
/// </summary>
internal static class LogTrimmer
{
    private const int Entries = 2000;
    private static readonly TimeSpan Breather = TimeSpan.FromMilliseconds(2);

    /// <summary>Removes the entries with ids up to <paramref name="upTo"/> (but the newest); returns how many.</summary>
    public static long Trim(string oldPath, long upTo)
    {
        using var old = DatabaseFile.Open(oldPath);
        using var next = old.CreateCommand();
        // The id Entries rows on: ranges stay small however sparse the ids are.
        next.CommandText = $"SELECT id FROM {Protocol.LogTable} WHERE id > @from AND id <= @upTo ORDER BY id LIMIT 1 OFFSET {(Entries - 1).ToString(CultureInfo.InvariantCulture)}";
        next.Parameters.AddWithValue("@from", 0L);
        next.Parameters.AddWithValue("@upTo", upTo);
        using var delete = old.CreateCommand();
        delete.CommandText = $"DELETE FROM {Protocol.LogTable} WHERE id > @from AND id <= @to AND id < (SELECT max(id) FROM {Protocol.LogTable})";
        delete.Parameters.AddWithValue("@from", 0L);
        delete.Parameters.AddWithValue("@to", 0L);
        var from = SqliteFile.Scalar(old, $"SELECT coalesce(min(id), 0) - 1 FROM {Protocol.LogTable}");
        long removed = 0;
        while (from < upTo)
        {
            next.Parameters["@from"].Value = from;
            var to = next.ExecuteScalar() is long id ? id : upTo;
            // BEGIN IMMEDIATE: the newest id is read and kept under the write lock.
            using (var txn = old.BeginTransaction(deferred: false))
            {
                delete.Transaction = txn;
                delete.Parameters["@from"].Value = from;
                delete.Parameters["@to"].Value = to;
                removed += delete.ExecuteNonQuery();
                txn.Commit();
            }
            delete.Transaction = null;
            from = to;
            Thread.Sleep(Breather);
        }
        return removed;
    }
}
