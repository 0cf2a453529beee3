namespace Mig;

/// <summary>The keys of an old file's <see cref="Protocol.OldInfoTable"/>, written when MigMigrate installs capture unless said otherwise.</summary>
internal static class OldInfoKeys
{
    /// <summary>The new file the migration builds.</summary>
    public const string NewDatabase = "new_database";
    /// <summary>The schema the new file is built for.</summary>
    public const string SchemaHash = "schema_hash";
    /// <summary>When capture was installed.</summary>
    public const string StartedAt = "started_at";
    /// <summary>The journal mode before Mig switched the file to WAL, so MigReset can switch it back.</summary>
    public const string JournalModeBefore = "journal_mode_before";
    /// <summary>The tables whose writes are captured, as a JSON array.</summary>
    public const string CapturedTables = "captured_tables";
    /// <summary>The tables guarded while draining (every table of the file), as a JSON array.</summary>
    public const string GuardedTables = "guarded_tables";
    /// <summary>The user's ignored tables (exact names and LIKE patterns; Litestream's are always ignored), as a JSON array.</summary>
    public const string IgnoredTables = "ignored_tables";
    /// <summary>The old file's schema and Mig's triggers as capture was installed, to tell when they changed.</summary>
    public const string SchemaAtInstall = "schema_at_install";
    /// <summary>The schema cookie and a hash of the schema's text after Mig's last change to the file's schema, to tell a VACUUM (MIG0083).</summary>
    public const string SchemaCookie = "schema_cookie";
    /// <summary>Written by MigCutover before it marks the new file ready: from then on the old file is never written by a migration step.</summary>
    public const string CutOverAt = "cut_over_at";

    /// <summary>
    /// In a NEW file after cutover, which captures its own writes for MigRevert: the old file a revert writes
    /// them back into (a key of its own, not <see cref="NewDatabase"/>, so the new file is never taken for the old file of a pair).
    /// </summary>
    public const string RevertTo = "revert_to";

    /// <summary>Written by MigRevert into the old file before it pauses the new file: a revert is in progress (MigReset cancels it).</summary>
    public const string RevertStartedAt = "revert_started_at";

    /// <summary>The id of the last entry of the new file's log MigRevert replayed into the old file, committed with each batch.</summary>
    public const string RevertCheckpoint = "revert_checkpoint";
}
