namespace Mig.Migration;

/// <summary>
/// The <c>MIGnnnn</c> codes the migration layer refuses with (their meaning for users is in the
/// README's table of codes). Each is thrown as a <see cref="MigOperationException"/>.
/// </summary>
internal static class MigrationCodes
{
    /// <summary>An operation in the wrong phase of the pair; the message says what to run instead.</summary>
    public const string WrongPhaseCode = "MIG0040";
    /// <summary>Another Mig operation holds the pair's lock (<see cref="OperationLock"/>).</summary>
    public const string LockedCode = "MIG0041";
    /// <summary>Data the plan, or writes made while recording, would lose without consent.</summary>
    public const string DataLossCode = "MIG0042";
    /// <summary>A new NOT NULL column without a default on a table with rows (or, online, one the old service may write NULL to).</summary>
    public const string NotNullWithoutDefaultCode = "MIG0043";
    /// <summary>The pair named contradicts the pair the old file records.</summary>
    public const string WrongPairCode = "MIG0044";
    /// <summary>Verification (or an archive's check) found a difference.</summary>
    public const string VerifyFailedCode = "MIG0045";
    /// <summary>A file is in the way that Mig neither overwrites nor deletes.</summary>
    public const string NotOursCode = "MIG0046";
    /// <summary>The old database does not exist (or cannot be told from other files).</summary>
    public const string NoOldDatabaseCode = "MIG0047";
    /// <summary>The copied data breaks a foreign key of the new schema.</summary>
    public const string ForeignKeyCode = "MIG0048";
    /// <summary>A file could not be switched to WAL while another connection kept a transaction open.</summary>
    public const string BusyCode = "MIG0049";
    /// <summary>An old table capture cannot follow by rowid: WITHOUT ROWID, virtual, or a column whose name Mig needs for the rowid.</summary>
    public const string WithoutRowIdCode = "MIG0050";
    /// <summary>Two new tables claim one old table, or a new INTEGER PRIMARY KEY comes from neither the old rowid nor the old key (online).</summary>
    public const string AmbiguousMatchCode = "MIG0051";
    /// <summary>A key (old, or in a captured write) that does not survive CAST to the new INTEGER PRIMARY KEY.</summary>
    public const string UnconvertibleKeyCode = "MIG0052";
    /// <summary>Old rows that would share a value of a key the new schema makes unique.</summary>
    public const string DuplicateKeyCode = "MIG0053";
    /// <summary>A table or a capture trigger of the old file changed after capture was installed.</summary>
    public const string OldSchemaChangedCode = "MIG0070";
    /// <summary>A log entry replay cannot read (a row reference that is not an integer): written by hand, or damaged.</summary>
    public const string UnreadableEntryCode = "MIG0071";
}
