namespace Mig;

/// <summary>
/// This database is being built by a migration and may not be served yet. Calls
/// succeed, without a restart, as soon as cutover marks it ready.
/// </summary>
public sealed class MigDatabaseNotReadyException : Exception
{
    /// <summary>
    /// The <see cref="Status"/> when another connection held the file locked for longer than a
    /// short wait, so that its status could not be read: a migration's copy does that to the new
    /// file (rollback journal, one long write transaction).
    /// </summary>
    public const string Locked = "locked";

    /// <summary>The <see cref="Status"/> of a file without a single table: a migration has just created it and not yet written its schema.</summary>
    public const string Empty = "empty";

    /// <summary>Creates the exception for a database file and its status.</summary>
    public MigDatabaseNotReadyException(string database, string status)
        : this(database, status, null)
    {
    }

    /// <summary>Creates the exception for a database file and its status, with the error that revealed it.</summary>
    public MigDatabaseNotReadyException(string database, string status, Exception? inner)
        : base(status == Locked
            ? $"{database} is not ready to serve: another connection holds it locked, as a migration does while it copies into it, so its status cannot be read. It serves after MigCutover."
            : status == Empty
            ? $"{database} is not ready to serve: it has no tables yet, as a migration's new file has for a moment after it is created. It serves after MigCutover."
            : status == Protocol.Retired
            ? $"{database} is retired (status '{status}'): a migration cut over to a new file and MigArchiveOld retired this one, which is never served again. Point the service at the new file (MigStatus names it)."
            : status == Protocol.Reverted
            ? $"{database} is reverted (status '{status}'): MigRevert wrote what it served back into the old file, which is live again; this file is never served again. Point the service at the old file (MigStatus names it)."
            : $"{database} is not ready to serve (status '{status}'): a migration is building it. It serves after MigCutover.", inner)
        => (Database, Status) = (database, status);

    /// <summary>The database file.</summary>
    public string Database { get; }
    /// <summary>The status found in the file, or <see cref="Locked"/>.</summary>
    public string Status { get; }
}
