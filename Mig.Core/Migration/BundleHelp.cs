namespace Mig.Migration;

/// <summary>
/// What <c>mig --help</c> and <c>mig &lt;verb&gt; --help</c> print. Each verb is its target's twin
/// (docs/msbuild.md), so its text says which target and which -p: property it stands for: the
/// messages the two print are the same and name the targets.
/// </summary>
internal static class BundleHelp
{
    private static readonly Dictionary<string, (string Target, string What)> Verbs = new(StringComparer.Ordinal)
    {
        ["plan"] = ("MigPlan", "Prints what a migration of the old file to this schema would do: each table's source, each column's fill, DATA LOSS and ERROR lines. Changes nothing. Exit 1 when the plan has an ERROR line."),
        ["migrate"] = ("MigMigrate", "Online: installs capture on the old file and copies it into the new file; the old service keeps serving. --offline: builds, copies and marks the new file ready in one call (nobody may write meanwhile). Refuses a plan that loses data without --allow-data-loss (MIG0042)."),
        ["status"] = ("MigStatus", "Prints the state of the pair: phase, both files' bookkeeping, pending writes, row counts, audit trail and the next command. Opens both files read-only."),
        ["catch-up"] = ("MigCatchUp", "While recording: replays the captured writes into the new file without pausing writes, removes them from the old file's log and returns; MigStatus then estimates the pause. Resumable."),
        ["drain"] = ("MigDrain", "Catches up without pausing until a short tail is left, then the old file refuses writes from now on and the rest is replayed into the new file. Refuses to pause while writes outpace replay (MIG0064) unless --force-pause. Resumable."),
        ["switch"] = ("MigSwitch", "Drain, then cutover, in one process: writes are refused from the drain's pause until the new file is ready, without a second start-up in between. Refuses as drain and cutover do, and leaves the pair as the step that refused leaves it."),
        ["verify"] = ("MigVerify", "Compares the pair (row counts, foreign keys, content, pending writes, unaccepted losses); changes no data."),
        ["cutover"] = ("MigCutover", "After drain: verifies, records the cutover in the old file and marks the new file ready."),
        ["reset"] = ("MigReset", "Before cutover: abandons the migration; the old file takes writes again and the unfinished new file is deleted."),
        ["revert"] = ("MigRevert", "After cutover, until archive-old: pauses writes on the new file, writes what it served since cutover back into the old file (renames and conversions undone; what only the new schema holds is a loss, refused without --allow-data-loss), verifies, then the old file takes writes again and the new file is out of service. Resumable."),
        ["archive-old"] = ("MigArchiveOld", "After cutover: retires the old file; with --archive-to, writes it there (checked) and removes it from its folder."),
        ["init"] = ("MigInit", "Creates a database for this schema, with seeds, ready to serve: at --new-database (or --database) PATH, or else <database-dir>/<name>-<hash>.db. Never overwrites (MIG0030)."),
        ["script"] = ("MigScript", "Writes the schema's full CREATE SQL to --out FILE, or to standard output."),
    };

    private static readonly Dictionary<string, string> Options = new(StringComparer.Ordinal)
    {
        ["database"] = "--database PATH        the old (live) database (-p:MigDatabase); for init, the file to create",
        ["database-dir"] = "--database-dir DIR     where to look for the one old <name>-*.db when --database is not given (-p:MigDatabaseDir); default: the current directory",
        ["new-database"] = "--new-database PATH    the new file (-p:MigNewDatabase); default: the one the old file records, else <name>-<hash>.db next to it",
        ["ignore-table"] = "--ignore-table NAME    another tool's table in the old file, left alone (@(MigIgnoreTable)); repeatable; a NAME with % is a LIKE pattern; Litestream's always",
        ["offline"] = "--offline              plan or migrate offline (-p:MigOffline=true)",
        ["allow-data-loss"] = "--allow-data-loss      accept the losses the plan lists (-p:MigAllowDataLoss=true)",
        ["force-pause"] = "--force-pause          pause writes even when they arrive faster than replay follows (-p:MigForcePause=true)",
        ["archive-to"] = "--archive-to DIR       write the old file into DIR (or to this file path) and remove it (-p:MigArchiveTo)",
        ["hook"] = "--hook COMMAND         run COMMAND after the step (/bin/sh -c; cmd /c on Windows), see Hook below (-p:MigHook)",
        ["status-file"] = "--status-file FILE     also write the status JSON to FILE (-p:MigStatusFile)",
        ["json"] = "--json                 print JSON on standard output instead of lines (status: the MigStatusFile JSON; plan: the plan)",
        ["plan-file"] = "--plan-file FILE       also write the plan as JSON (the --json JSON) to FILE (-p:MigPlanFile)",
        ["plan-sql"] = "--plan-sql FILE        also write the SQL the copy would run to FILE, for review (-p:MigPlanSql)",
        ["plan-from"] = "--plan-from FILE       plan against the previous schema's SQL (MigScript's output) instead of a database: no data, so every possible loss is listed and, without --allow-data-loss, an ERROR (-p:MigPlanFrom)",
        ["out"] = "--out FILE             write the SQL to FILE instead of standard output (-p:MigScriptPath)",
        ["help"] = "--help                 this text",
    };

    /// <summary>The MIG_PHASE values each verb runs its hook with.</summary>
    private static readonly Dictionary<string, string> HookPhases = new(StringComparer.Ordinal)
    {
        ["migrate"] = "'recording' after an online migrate, 'copied' after an offline one",
        ["drain"] = "'drained' after the drain",
        ["switch"] = "'drained' after the drain, 'verified' after verification (a non-zero exit vetoes the cutover: MIG0059), then 'ready'",
        ["cutover"] = "'verified' after verification and before anything is marked (a non-zero exit vetoes the cutover: MIG0059, nothing cut over), then 'ready' after the new file is marked ready",
        ["reset"] = "'reset' after the reset (the new file is deleted)",
        ["revert"] = "'reverted' after the revert (the old file takes writes again)",
        ["archive-old"] = "'archived' after the old file is retired (or archived and removed)",
    };

    public static IEnumerable<string> General(string version, string hash, string databaseName)
    {
        yield return $"mig {version}: the migration bundle of schema {hash} (database files {databaseName}-<hash>.db).";
        yield return "Usage: mig <verb> [options]      mig <verb> --help      mig --version";
        yield return "";
        yield return "Verbs (each runs the engine of the Mig target named, with the same messages and codes):";
        foreach (var (verb, (target, what)) in Verbs) yield return $"  {verb,-12} {target,-14} {FirstSentence(what)}";
        yield return "";
        foreach (var line in Footer()) yield return line;
    }

    public static IEnumerable<string> ForVerb(string verb)
    {
        var (target, what) = Verbs[verb];
        var options = BundleArguments.VerbOptions[verb];
        yield return $"Usage: mig {verb}{(options.Length > 1 ? " [options]" : "")}";
        yield return "";
        yield return $"{what} (The target {target}; its messages name targets and -p: properties: MigDrain is 'mig drain', -p:MigAllowDataLoss=true is --allow-data-loss.)";
        yield return "";
        yield return "Options:";
        foreach (var o in options) yield return "  " + Options[o];
        yield return "";
        if (HookPhases.TryGetValue(verb, out var phases))
        {
            yield return $"Hook: with --hook, COMMAND runs with MIG_PHASE {phases}. Its environment also has MIG_OLD_DATABASE, MIG_NEW_DATABASE and " +
                         "MIG_STATUS_FILE (the status JSON of the pair, as --status-file writes it); its output is shown on standard error. " +
                         "A non-zero exit of a hook that runs after the step fails the command (MIG0060), but the step is done and not undone.";
            yield return "";
        }
        foreach (var line in Footer()) yield return line;
    }

    private static IEnumerable<string> Footer()
    {
        yield return "Progress goes to standard error; the answer (plan, status, the state a step left) to standard output.";
        yield return "Exit codes: 0 done; 1 refused or failed (an error line names the MIGnnnn code, see docs/msbuild.md); 2 wrong usage.";
    }

    private static string FirstSentence(string text) => text[..(text.IndexOf(". ", StringComparison.Ordinal) is var i and > 0 ? i + 1 : text.Length)];
}
