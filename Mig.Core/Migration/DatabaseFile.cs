using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// A database file a migration works on, old or new: opened unpooled for one operation, opened
/// for reading after a kill, deleted with its side files, switched to WAL within a patience.
/// </summary>
internal static class DatabaseFile
{
    private const int BusyTimeoutMs = 10_000;

    /// <summary>Opens a file Mig manages, unpooled so no lock outlives the operation.</summary>
    public static SqliteConnection Open(string path, bool create = false)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            ForeignKeys = false, // copies and replays check keys once, afterwards
        }.ToString());
        c.Open();
        SqliteFile.SetBusyTimeout(c, BusyTimeoutMs);
        return c;
    }

    /// <summary>
    /// Opens a file read-only for inspection (MigStatus, the checks before a delete). A process
    /// killed inside a write transaction of a rollback-journal file (the copy builds the new file
    /// that way) leaves a hot journal, which a read-only connection cannot roll back (SQLITE_READONLY).
    /// Then the file is opened read-write once, so SQLite rolls the unfinished transaction back as
    /// any next writer would (only when no live process holds it: a journal is hot only then).
    /// </summary>
    public static SqliteConnection OpenForReading(string path)
    {
        var c = SqliteFile.OpenReadOnly(path);
        try
        {
            SqliteFile.Scalar(c, "SELECT count(*) FROM sqlite_schema");
            return c;
        }
        catch (SqliteException e) when ((e.SqliteErrorCode & 0xff) == 8 && File.Exists(path + "-journal")) // READONLY (READONLY_ROLLBACK)
        {
            c.Dispose();
            using (var writer = Open(path)) SqliteFile.Scalar(writer, "SELECT count(*) FROM sqlite_schema");
            return SqliteFile.OpenReadOnly(path);
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    /// <summary>Deletes a database file with its WAL and shared-memory files.</summary>
    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
            if (File.Exists(f)) File.Delete(f);
    }

    /// <summary>
    /// Switches a file to WAL, or throws MIG0049 once <paramref name="patience"/> is spent. The switch
    /// needs the file to itself for a moment: another connection's open transaction makes it fail,
    /// at once when that connection writes, so it is retried in short steps until the deadline, each
    /// waiting at most a second in SQLite's busy handler (with the connection's own busy timeout and
    /// Microsoft.Data.Sqlite's retries, a few hard tries would each wait 30 s, and a reader that
    /// stays would hold the operation for minutes).
    /// </summary>
    public static void UseWal(SqliteConnection c, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                var left = patience - clock.Elapsed;
                SqliteFile.SetBusyTimeout(c, (int)Math.Clamp(left.TotalMilliseconds, 0, 1000));
                if (SqliteFile.TrySwitchToWal(c, out var mode))
                {
                    if (mode == "wal") return;
                    throw new MigOperationException(MigCode.WalSwitchBusy, $"{c.DataSource} stayed in journal mode '{mode}'; Mig needs WAL so the copy blocks no writer.");
                }
                if (clock.Elapsed >= patience)
                    throw new MigOperationException(MigCode.WalSwitchBusy,
                        $"{c.DataSource} could not be switched to WAL within {patience.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s: " +
                        "another connection kept a transaction open on it the whole time (a long read, a backup, a writer).");
                Thread.Sleep(50);
            }
        }
        finally
        {
            SqliteFile.SetBusyTimeout(c, BusyTimeoutMs);
        }
    }
}
