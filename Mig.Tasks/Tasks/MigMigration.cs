using Microsoft.Build.Framework;

namespace Mig.Tasks;

/// <summary>
/// Runs one verb of a hot migration (plan, migrate, drain, switch, catch-up, verify, cutover,
/// status, reset, revert, archive-old) in the tool process. For status it also returns
/// the state as items, read from the JSON the tool writes, so a pipeline gets
/// it from <c>-getTargetResult:MigStatus</c>.
/// </summary>
public sealed class MigMigration : MigToolTask
{
    /// <summary>The verb.</summary>
    [Required] public string Operation { get; set; } = "";
    /// <summary>The model JSON written by <see cref="MigCompileSchema"/>.</summary>
    [Required] public string ModelFile { get; set; } = "";
    /// <summary>Stem of database file names.</summary>
    [Required] public string DatabaseName { get; set; } = "";
    /// <summary>Where database files live.</summary>
    [Required] public string DatabaseDir { get; set; } = "";
    /// <summary>The old (live) database, when given explicitly.</summary>
    public string? Database { get; set; }
    /// <summary>The new database, when given explicitly.</summary>
    public string? NewDatabase { get; set; }
    /// <summary>Offline migration.</summary>
    public bool Offline { get; set; }
    /// <summary>Permit a plan that drops data.</summary>
    public bool AllowDataLoss { get; set; }
    /// <summary>MigDrain: pause writes even when they outpace replay.</summary>
    public bool ForcePause { get; set; }
    /// <summary>Where MigArchiveOld moves the old file.</summary>
    public string? ArchiveTo { get; set; }
    /// <summary>Where status JSON goes (status only); the task reads it back for <see cref="StatusItems"/>.</summary>
    public string? StatusFile { get; set; }
    /// <summary>A second copy of the status JSON the user asked for (<c>$(MigStatusFile)</c>).</summary>
    public string? UserStatusFile { get; set; }

    /// <summary>Other tools' tables in the old file (<c>@(MigIgnoreTable)</c>): exact names, or LIKE patterns with a <c>%</c>.</summary>
    public ITaskItem[] IgnoreTables { get; set; } = [];

    /// <summary>Where plan also writes the plan as JSON (<c>$(MigPlanFile)</c>).</summary>
    public string? PlanFile { get; set; }
    /// <summary>Where plan also writes the SQL the copy would run, for review (<c>$(MigPlanSql)</c>).</summary>
    public string? PlanSql { get; set; }
    /// <summary>Plan against the previous schema's SQL instead of an old file (<c>$(MigPlanFrom)</c>).</summary>
    public string? PlanFrom { get; set; }

    /// <summary>The operator's command run after the step (<c>$(MigHook)</c>): migrate, drain, cutover, reset and archive-old.</summary>
    public string? Hook { get; set; }

    /// <summary>The status: one item <c>MigStatus</c> with the phase and file facts as metadata, then one item per table.</summary>
    [Output] public ITaskItem[] StatusItems { get; set; } = [];

    /// <inheritdoc />
    protected override string Verb => Operation;

    /// <inheritdoc />
    protected override IEnumerable<(string, string?)> VerbArguments() =>
    [
        ("model", ModelFile), ("database-name", DatabaseName), ("database-dir", DatabaseDir),
        ("database", Database), ("new-database", NewDatabase),
        ("offline", Offline ? "true" : null), ("allow-data-loss", AllowDataLoss ? "true" : null),
        ("force-pause", ForcePause ? "true" : null),
        ("archive-to", ArchiveTo), ("status-file", StatusFile), ("status-file", UserStatusFile),
        ("plan-file", PlanFile), ("plan-sql", PlanSql), ("plan-from", PlanFrom),
        ("hook-base64", string.IsNullOrWhiteSpace(Hook) ? null : Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Hook))),
        .. IgnoreTables.Select(t => ("ignore-table", (string?)t.ItemSpec)),
    ];

    /// <inheritdoc />
    public override bool Execute()
    {
        if (!base.Execute()) return false;
        if (Operation == "status" && !string.IsNullOrEmpty(StatusFile) && File.Exists(StatusFile))
            StatusItems = StatusJson.Read(File.ReadAllText(StatusFile));
        return !Log.HasLoggedErrors;
    }
}
