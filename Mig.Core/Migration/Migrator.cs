using Mig.Schema;

namespace Mig.Migration;

/// <summary>
/// Runs the phases of a hot migration between one old file and the new file of
/// the current schema (docs/hot-migration.md): plan, migrate (online or offline),
/// drain, verify, cut over, reset, archive. Each phase is a step of its own
/// (<see cref="MigrateStep"/>, <see cref="DrainStep"/>, <see cref="VerifyStep"/>,
/// <see cref="CutoverStep"/>, <see cref="ResetStep"/>, <see cref="ArchiveStep"/>): it checks
/// that it is its turn, takes the pair's lock, leaves a state <see cref="Status"/>
/// explains, and records itself in the new file's audit trail.
/// </summary>
internal sealed class Migrator(SchemaModel model, string hash, string oldPath, string newPath, Action<string> log)
{
    // Resolved (symlinks, "..", relative): one file has one spelling in the lock, the records and the checks.
    private readonly string oldPath = PathResolver.Resolve(oldPath);
    private readonly string newPath = PathResolver.Resolve(newPath);

    /// <summary>How long a switch to WAL waits for other connections' transactions on the file to end (MIG0049 after).</summary>
    public TimeSpan BusyPatience { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Other tools' tables in the old file (MigIgnoreTable, --ignore-table); Litestream's always.</summary>
    public IgnoredTables Ignored { get; init; } = IgnoredTables.Default;

    /// <summary>The operator's command run after each step (MigHook, --hook; see <see cref="PhaseHook"/>), or null.</summary>
    public PhaseHook? Hook { get; init; }

    private MigrationContext Pair => new(model, hash, oldPath, newPath, log, BusyPatience) { Ignored = Ignored, Hook = Hook };

    /// <summary>The plan, printed; changes nothing (the old file is opened read-only).</summary>
    public MigrationPlan Plan(bool online = true)
    {
        new PhaseChecks(Pair).RequireOld();
        using var c = SqliteFile.OpenReadOnly(oldPath);
        var plan = Planner.Create(c, model, "main", online, ignored: Ignored.With(Capture.RecordedIgnored(c))) with { OldDatabase = oldPath, NewDatabase = newPath };
        foreach (var line in PlanReport.Lines(plan)) log(line);
        return plan;
    }

    /// <summary>Phase 1: build the new file and copy; online it installs capture first and leaves the old file recording.</summary>
    public void Migrate(bool offline, bool allowDataLoss)
    {
        new MigrateStep(Pair).Run(offline, allowDataLoss);
        AfterStep(offline ? "MigMigrate offline" : "MigMigrate", offline ? PhaseHook.Copied : PhaseHook.Recording);
    }

    /// <summary>
    /// Phase 2: catch up without pausing, then refuse writes on the old file and replay the rest into the new one.
    /// Resumable. Refuses to pause (MIG0064) while writes outpace replay, unless <paramref name="forcePause"/>.
    /// </summary>
    public void Drain(bool forcePause)
    {
        new DrainStep(Pair).Run(forcePause);
        AfterStep("MigDrain", PhaseHook.Drained);
    }

    /// <summary>
    /// MigSwitch: <see cref="Drain(bool)"/> then <see cref="Cutover"/> in one process, so the write pause is the
    /// tail's replay, the drained hook and the cutover's verification, without a second start-up between them.
    /// A refusal of either leaves the pair as that step leaves it (a failed cutover: writes paused, MigCutover or MigReset next).
    /// </summary>
    public void Switch(bool forcePause, bool allowDataLoss)
    {
        new DrainStep(Pair).Run(forcePause, cutoverNext: true);
        AfterStep("MigDrain", PhaseHook.Drained);
        Cutover(allowDataLoss);
    }

    /// <summary>Phase 2 without forcing the pause (see <see cref="Drain(bool)"/>).</summary>
    public void Drain() => Drain(forcePause: false);

    /// <summary>While recording: replay the backlog without pausing writes and trim the old file's log (see <see cref="CatchUpStep"/>).</summary>
    public CatchUpResult CatchUp() => new CatchUpStep(Pair).Run();

    /// <summary>
    /// Compares old and new: row counts, keys, content, and data loss nobody accepted (MIG0042, unless
    /// <paramref name="allowDataLoss"/>); throws MIG0045 on any other difference.
    /// </summary>
    public VerifyResult Verify(bool allowDataLoss = false) => new VerifyStep(Pair).Run(allowDataLoss);

    /// <summary>
    /// Phase 3: after a complete drain and a clean verification (and the <c>verified</c> hook, which may
    /// veto it), mark the new file ready. Loss that writes made while recording add (MIG0042) is cut over
    /// only with <paramref name="allowDataLoss"/>.
    /// </summary>
    public void Cutover(bool allowDataLoss = false)
    {
        new CutoverStep(Pair).Run(allowDataLoss);
        AfterStep("MigCutover", PhaseHook.Ready);
    }

    /// <summary>Abandons a migration that has not cut over (see <see cref="ResetStep"/>).</summary>
    public void Reset()
    {
        new ResetStep(Pair).Run();
        AfterStep("MigReset", PhaseHook.Reset);
    }

    /// <summary>
    /// After cutover: goes back to the old file with what the new file served since (see <see cref="RevertStep"/>).
    /// Losses (MIG0042) are written back only with <paramref name="allowDataLoss"/>.
    /// </summary>
    public void Revert(bool allowDataLoss = false)
    {
        new RevertStep(Pair).Run(allowDataLoss);
        AfterStep("MigRevert", PhaseHook.Reverted);
    }

    /// <summary>After cutover: retire the old file in place, or move it to <paramref name="archiveTo"/> (see <see cref="ArchiveStep"/>).</summary>
    public void ArchiveOld(string? archiveTo)
    {
        new ArchiveStep(Pair).Run(archiveTo);
        AfterStep("MigArchiveOld", PhaseHook.Archived);
    }

    /// <summary>Runs the hook, if any, after a step that completed (outside the pair's lock, so the hook may run Mig itself).</summary>
    private void AfterStep(string operation, string phase) => Hook?.AfterStep(Pair, operation, phase);

    /// <summary>The state of both files and what to run next.</summary>
    public StatusReport Status() => StatusReport.Read(model, hash, oldPath, newPath, Ignored);
}
