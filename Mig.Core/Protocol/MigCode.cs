namespace Mig;

/// <summary>
/// Every <c>MIGnnnn</c> code Mig reports, in one place. A code is stable: it names a kind of
/// problem, never a message. docs/msbuild.md has one row per code with what to do, and a test
/// keeps the two lists equal.
/// </summary>
internal static class MigCode
{
    // Schema: found by MigCompileSchema and MigGenerate, at the schema's file and line.
    /// <summary>An attribute names a property the record does not have.</summary>
    public const string MissingProperty = "MIG0001";
    /// <summary>A property's C# type has no column mapping.</summary>
    public const string UnsupportedType = "MIG0002";
    /// <summary>A reference to a type that has no primary key.</summary>
    public const string ReferenceWithoutKey = "MIG0003";
    /// <summary>A foreign key that cannot be expressed (composite key behind a single column, type mismatch, not a table).</summary>
    public const string InexpressibleForeignKey = "MIG0004";
    /// <summary>Record-typed references form a cycle.</summary>
    public const string ReferenceCycle = "MIG0005";
    /// <summary>Two tables, views or indexes share a name, one takes a name Mig reserves, or a column is named rowid (it would hide the rowid).</summary>
    public const string DuplicateName = "MIG0006";
    /// <summary>A view property matches no column of the joined tables.</summary>
    public const string UnresolvedViewColumn = "MIG0007";
    /// <summary>A view property matches columns of several joined tables.</summary>
    public const string AmbiguousViewColumn = "MIG0008";
    /// <summary>A join between two tables that no single foreign key connects.</summary>
    public const string JoinWithoutForeignKey = "MIG0009";
    /// <summary>A [ViewSql] whose columns do not match the record.</summary>
    public const string ViewSqlMismatch = "MIG0010";
    /// <summary>An invalid key declaration (AutoIncPK on a non-integer, two key attributes, a key on a view).</summary>
    public const string InvalidKey = "MIG0011";
    /// <summary>OnDeleteSetNull on a non-nullable reference, or a delete action on a non-reference.</summary>
    public const string InvalidDeleteAction = "MIG0012";
    /// <summary>Seed rows for a table without a primary key, or seed code that failed.</summary>
    public const string InvalidSeed = "MIG0013";
    /// <summary>The schema files do not compile.</summary>
    public const string CompileError = "MIG0014";
    /// <summary>SQLite rejects the SQL the schema becomes (a bad default or view).</summary>
    public const string SqlRejected = "MIG0015";
    /// <summary>A query attribute that cannot apply (a write on a view, an upsert without a key, LIKE on a non-string).</summary>
    public const string InvalidQuery = "MIG0016";
    /// <summary>A view declaration problem: [Join] without [View], no joins, a join that does not connect.</summary>
    public const string InvalidView = "MIG0017";
    /// <summary>An attribute argument that is empty or malformed (OrderBy, no properties).</summary>
    public const string InvalidAttribute = "MIG0018";
    /// <summary>No schema files: @(MigSchema) is empty.</summary>
    public const string NoSchemaFiles = "MIG0019";
    /// <summary>A generated method name that a member of the record already has, or that two attributes both produce.</summary>
    public const string QueryNameCollision = "MIG0020";
    /// <summary>A table or view record without properties: it would have no columns.</summary>
    public const string NoColumns = "MIG0021";
    /// <summary>A generated query statement that SQLite cannot prepare against the schema (found at build time, never at run time).</summary>
    public const string GeneratedSqlRejected = "MIG0022";
    /// <summary>A [SelectPage] key that does not page: not unique (the primary key or a one-column [Unique]), nullable, on a view, or an OrderBy other than its direction.</summary>
    public const string InvalidPageKey = "MIG0023";
    /// <summary>A [SelectPage] or [SelectRange] on a property whose stored form does not order like its values (decimal, TimeSpan, DateTimeOffset, byte[], an enum over ulong or stored by name, a record).</summary>
    public const string UnorderedColumn = "MIG0024";
    /// <summary>A [SelectIn] on a property a list cannot hold: a reference to a record with a composite key.</summary>
    public const string UnlistableProperty = "MIG0025";
    /// <summary>[StoreAsText] on a [Flags] enum: a combination of flags has no single name.</summary>
    public const string FlagsStoredAsText = "MIG0026";
    /// <summary>[StoreAsText] on a property that is not an enum, or a [Default] of an enum stored by name that is not one of its names.</summary>
    public const string InvalidStoreAsText = "MIG0027";
    /// <summary>A [MigrateFrom] that cannot apply: an empty expression, beside [RenamedFrom], or on a property of several columns.</summary>
    public const string InvalidMigrateFrom = "MIG0028";
    /// <summary>A [MigrateFrom] expression SQLite rejects as a value of one old row: bad syntax, an unknown function, a qualified name, a subquery, an aggregate, or a nondeterministic function.</summary>
    public const string MigrateFromRejected = "MIG0029";

    // MigInit.
    /// <summary>MigInit found a file already at the path; nothing was changed.</summary>
    public const string DatabaseExists = "MIG0030";
    /// <summary>The file could not be written (directory missing, permissions, disk).</summary>
    public const string DatabaseNotWritable = "MIG0031";

    // Migration: MigPlan, MigMigrate, MigDrain, MigVerify, MigCutover, MigReset, MigArchiveOld, MigStatus.
    /// <summary>An operation in the wrong phase of the pair; the message says what to run instead.</summary>
    public const string WrongPhase = "MIG0040";
    /// <summary>Another Mig operation holds the pair's lock (a <c>.miglock</c> file beside the old file).</summary>
    public const string OperationLocked = "MIG0041";
    /// <summary>Data the plan, or writes made while recording, would lose without consent.</summary>
    public const string DataLoss = "MIG0042";
    /// <summary>A new NOT NULL column without a default on a table with rows (or, online, one the old service may write NULL to).</summary>
    public const string NotNullWithoutDefault = "MIG0043";
    /// <summary>The pair named contradicts the pair the old file records.</summary>
    public const string WrongPair = "MIG0044";
    /// <summary>Verification (or an archive's check) found a difference.</summary>
    public const string VerifyFailed = "MIG0045";
    /// <summary>A file is in the way that Mig neither overwrites nor deletes.</summary>
    public const string FileInTheWay = "MIG0046";
    /// <summary>The old database does not exist (or cannot be told from other files).</summary>
    public const string NoOldDatabase = "MIG0047";
    /// <summary>The copied data breaks a foreign key of the new schema.</summary>
    public const string ForeignKeyBroken = "MIG0048";
    /// <summary>A file could not be switched to WAL while another connection kept a transaction open.</summary>
    public const string WalSwitchBusy = "MIG0049";
    /// <summary>An old table capture cannot follow by rowid: WITHOUT ROWID, virtual, or a column whose name Mig needs for the rowid.</summary>
    public const string NotFollowableByRowId = "MIG0050";
    /// <summary>Two new tables claim one old table, or a new INTEGER PRIMARY KEY comes from neither the old rowid nor the old key (online).</summary>
    public const string AmbiguousMatch = "MIG0051";
    /// <summary>A key (old, or in a captured write) that does not survive CAST to the new INTEGER PRIMARY KEY.</summary>
    public const string UnconvertibleKey = "MIG0052";
    /// <summary>Old rows that would share a value of a key the new schema makes unique.</summary>
    public const string DuplicateKey = "MIG0053";
    /// <summary>A database file stayed locked by another connection while Mig waited.</summary>
    public const string FileLocked = "MIG0054";
    /// <summary>A file Mig was given is not a SQLite database, or is damaged.</summary>
    public const string NotADatabase = "MIG0055";
    /// <summary>The disk refused a read or write (full, I/O error).</summary>
    public const string DiskFailure = "MIG0056";
    /// <summary>A database file or its folder cannot be opened or written by this user.</summary>
    public const string NoAccess = "MIG0057";
    /// <summary>The new schema declares a table whose name is another tool's (Litestream's, or one @(MigIgnoreTable) names).</summary>
    public const string IgnoredTableDeclared = "MIG0058";
    /// <summary>The operator's verified hook (MigHook, --hook) failed inside MigCutover: nothing was cut over.</summary>
    public const string HookVetoed = "MIG0059";
    /// <summary>The operator's hook failed after its step completed (the step is not undone).</summary>
    public const string HookFailed = "MIG0060";
    /// <summary>A [MigrateFrom] expression names a column the old table does not have.</summary>
    public const string MigrateFromUnknownColumn = "MIG0061";
    /// <summary>A migration target in a project with several databases, without -p:MigDatabaseName to choose one (raised by the targets).</summary>
    public const string SeveralDatabases = "MIG0062";
    /// <summary>Two databases of one project have schema types in the same namespace (each would get a MigSchemaInfo there).</summary>
    public const string DatabasesShareNamespace = "MIG0063";
    /// <summary>MigSchema items name the project's own database in their Database metadata (raised by the targets).</summary>
    public const string DatabaseNamedAsProject = "MIG0068";
    /// <summary>MigDrain did not pause writes: the old service's writes add log entries at least as fast as replay follows.</summary>
    public const string WritesOutpaceReplay = "MIG0064";
    /// <summary>A table or a capture trigger of the old file changed after capture was installed.</summary>
    public const string OldSchemaChanged = "MIG0070";
    /// <summary>A log entry replay cannot read (a row reference that is not an integer): written by hand, or damaged.</summary>
    public const string UnreadableEntry = "MIG0071";
    /// <summary>The previous schema's SQL given to plan against (MigPlanFrom) is missing or does not load into SQLite.</summary>
    public const string PlanFromUnreadable = "MIG0072";
    /// <summary>Old rows break a CHECK of the new schema.</summary>
    public const string CheckViolated = "MIG0073";
    /// <summary>Old values are not of the type a STRICT table of the new schema requires.</summary>
    public const string StrictTypeRefused = "MIG0074";
    /// <summary>Old values of an enum column (or a write made while recording) have no member to convert to (integer to name or back), and the NOT NULL column has no default to take instead.</summary>
    public const string UnknownEnumValue = "MIG0075";
    /// <summary>MigRevert cannot run any more: MigArchiveOld ended the possibility (or the cutover kept no capture on the new file).</summary>
    public const string RevertEnded = "MIG0080";
    /// <summary>MigRevert cannot write the new file's rows back into the old schema (a rowid the migration changed, a column only the old schema has that needs a value).</summary>
    public const string RevertUnsupported = "MIG0081";
    /// <summary>The rows MigRevert wrote back break a foreign key the old file declares; the revert is not finished (both files stay paused).</summary>
    public const string RevertBreaksForeignKey = "MIG0082";

    /// <summary>The old file was rebuilt (VACUUM) while recording, which may have renumbered a captured table's rowids.</summary>
    public const string OldFileRebuilt = "MIG0083";

    // The tool process itself.
    /// <summary>The tool was called with wrong arguments (a bug in Mig's targets).</summary>
    public const string Usage = "MIG0090";
    /// <summary>An unexpected failure inside Mig; the message says what.</summary>
    public const string Internal = "MIG0091";
    /// <summary>The cached schema model is missing or unreadable.</summary>
    public const string ModelUnreadable = "MIG0092";
    /// <summary>The generated code does not parse (a bug in Mig).</summary>
    public const string GeneratedCodeInvalid = "MIG0093";
}
