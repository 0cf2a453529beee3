namespace Mig.Migration;

/// <summary>
/// One verb of a hot migration as the tool (from the targets' properties) or the bundle (from its
/// command line) asks for it; <see cref="MigrationVerbs"/> runs it the same way for both.
/// </summary>
/// <param name="Verb">plan, migrate, drain, catch-up, verify, cutover, status, reset, revert or archive-old.</param>
/// <param name="DatabaseName">Stem of database file names (MigDatabaseName).</param>
internal sealed record MigrationRequest(string Verb, string DatabaseName)
{
    /// <summary>Where to look for the old file when <see cref="Database"/> is not given (MigDatabaseDir).</summary>
    public string? DatabaseDir { get; init; }

    /// <summary>The old (live) file, when named (MigDatabase).</summary>
    public string? Database { get; init; }

    /// <summary>The new file, when named (MigNewDatabase).</summary>
    public string? NewDatabase { get; init; }

    /// <summary>Plan or migrate offline (MigOffline).</summary>
    public bool Offline { get; init; }

    /// <summary>Accept a plan or writes that lose data (MigAllowDataLoss).</summary>
    public bool AllowDataLoss { get; init; }

    /// <summary>Drain: pause writes even when they outpace replay (MigForcePause, --force-pause).</summary>
    public bool ForcePause { get; init; }

    /// <summary>Where archive-old moves the old file (MigArchiveTo).</summary>
    public string? ArchiveTo { get; init; }

    /// <summary>Files status writes its JSON to.</summary>
    public IReadOnlyList<string> StatusFiles { get; init; } = [];

    /// <summary>Where plan also writes the plan as JSON (MigPlanFile), the JSON <see cref="Json"/> prints.</summary>
    public string? PlanFile { get; init; }

    /// <summary>Where plan also writes the SQL the copy would run, for review (MigPlanSql).</summary>
    public string? PlanSqlFile { get; init; }

    /// <summary>Plan against the previous schema's SQL (MigScript's output) instead of an old file (MigPlanFrom).</summary>
    public string? PlanFrom { get; init; }

    /// <summary>Other tools' tables in the old file, exact names or LIKE patterns with a % (MigIgnoreTable, --ignore-table); Litestream's always.</summary>
    public IReadOnlyList<string> IgnoreTables { get; init; } = [];

    /// <summary>The operator's command run after each step (MigHook, --hook): see <see cref="PhaseHook"/>.</summary>
    public string? Hook { get; init; }

    /// <summary>Status or plan as JSON on the result output instead of lines.</summary>
    public bool Json { get; init; }
}
