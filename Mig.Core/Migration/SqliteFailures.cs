using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// SQLite's own refusals, as codes an operator can act on. A failing statement's transaction
/// rolls back, so the step that failed committed nothing; what earlier steps of the operation
/// did is what MigStatus reports, with the next command to run.
/// </summary>
internal static class SqliteFailures
{
    private const string Afterwards = "The step that failed committed nothing; MigStatus shows the state of the files and what to run next.";

    /// <summary>
    /// A constraint of the new schema that a captured write breaks during replay (MIG0073, MIG0074, MIG0075),
    /// named rather than "internal"; null for any other failure. With writes paused the old file's guards
    /// refuse every write, so the row can only be corrected after MigReset: the message says so.
    /// </summary>
    public static MigOperationException? ReplayRefusal(SqliteException e, bool writesPaused)
    {
        var (code, what, fix) = e.SqliteExtendedErrorCode switch
        {
            275 or 3091 => (e.SqliteExtendedErrorCode == 275 ? MigCode.CheckViolated : MigCode.StrictTypeRefused,
                $"A row written while the migration recorded breaks a {(e.SqliteExtendedErrorCode == 275 ? "[Check]" : "[Strict] column type")} of the new schema, so it cannot be replayed.",
                "change the schema"),
            // NOT NULL: the plan refuses every NULL it can foresee (MIG0043, MIG0075), so a captured write brings it:
            // in practice an enum value with no member, which the integer <-> name conversion makes NULL. (A computed
            // column's NULL is named by the Replayer itself, MIG0043: ComputedFill.NullResult.)
            1299 => (MigCode.UnknownEnumValue,
                "A row written while the migration recorded has no value for a NOT NULL column of the new schema (an enum value with no member, which the conversion between its integer and name forms makes NULL), so it cannot be replayed.",
                "add the member or a [Default]"),
            _ => (null, "", ""),
        };
        if (code is null) return null;
        var next = writesPaused
            ? $"Writes to the old file are paused, so that row cannot be corrected there: run MigReset (the old service writes again), correct the row in the old file (or {fix}), then MigMigrate again."
            : $"Correct that row in the old file and run the step again, or run MigReset (the old service writes again) and {fix}.";
        return new MigOperationException(code, $"{what} {Afterwards} {next} (SQLite: {e.Message})", e);
    }

    public static (string Code, string Message) Explain(SqliteException e)
    {
        if (ReplayRefusal(e, writesPaused: false) is { } refused) return (refused.Code, refused.Message);
        // The primary result code: extended codes (SQLITE_IOERR_WRITE, ...) keep it in the low byte.
        var (code, what) = (e.SqliteErrorCode & 0xff) switch
        {
            5 or 6 => (MigCode.FileLocked, // BUSY, LOCKED
                "A database file is locked by another connection (a long transaction, a backup, an exclusive lock) and stayed locked while Mig waited. " +
                "Run the command again when it is released."),
            26 or 11 => (MigCode.NotADatabase, // NOTADB, CORRUPT
                "A file Mig was given is not a SQLite database, or is damaged. Check -p:MigDatabase (and -p:MigNewDatabase) point at the right files; " +
                "restore a damaged file from a backup (PRAGMA integrity_check tells)."),
            13 or 10 => (MigCode.DiskFailure, // FULL, IOERR
                "The disk refused a read or write (full, or an I/O error). A copy needs about the old file's size free next to it, plus its WAL; " +
                "free space or fix the device, then run the command again."),
            8 or 14 or 3 or 23 => (MigCode.NoAccess, // READONLY, CANTOPEN, PERM, AUTH
                "A database file or its folder cannot be opened or written by this user (SQLite also needs to create -wal, -shm and -journal files next to it). " +
                "Fix the permissions or the path, then run the command again."),
            _ => (MigCode.Internal, ""),
        };
        var message = what.Length == 0
            ? $"SqliteException: {e.Message}"
            : $"{what} {Afterwards} (SQLite: {e.Message})";
        return (code, message);
    }
}
