using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// A transaction that writes the main file of a connection with another file attached (the copy, the
/// replay, the drain's finish). It begins deferred, because BEGIN IMMEDIATE would take the write lock of
/// every attached file and block the service writing the other one; and it takes the main file's write
/// lock with its first statement, before any read. A deferred transaction that read the main file first
/// and then wrote it fails when another process committed to it in between (SQLITE_BUSY_SNAPSHOT, which no
/// waiting cures: Microsoft.Data.Sqlite retries it for 30 s and gives up). Litestream commits to its own
/// table in both files of a migration at any moment, so that happened in practice.
/// </summary>
internal static class MainWriteTransaction
{
    /// <summary>
    /// Begins the transaction, waiting (the connection's busy timeout) for the main file's write lock.
    /// <paramref name="table"/> is one of Mig's tables in the main file: a delete that matches no row
    /// takes the lock and changes nothing.
    /// </summary>
    public static SqliteTransaction Begin(SqliteConnection c, string table)
    {
        var txn = c.BeginTransaction(deferred: true);
        try
        {
            SqliteFile.Execute(c, $"DELETE FROM main.{SqlIdentifier.Quote(table)} WHERE 0", txn);
            return txn;
        }
        catch
        {
            txn.Dispose();
            throw;
        }
    }
}
