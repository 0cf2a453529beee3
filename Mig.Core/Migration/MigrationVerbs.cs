using Microsoft.Data.Sqlite;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// The verbs of hot migrations (plan, migrate, drain, switch, catch-up, verify, cutover, status, reset,
/// revert, archive-old): resolve the pair of files, then call the <see cref="Migrator"/>. The tool behind
/// the targets and the bundle both run them from here, so their messages, codes and JSON are one.
/// </summary>
internal static class MigrationVerbs
{
    public static bool Handles(string verb) => verb is "plan" or "migrate" or "drain" or "switch" or "catch-up" or "verify" or "cutover" or "status" or "reset" or "revert" or "archive-old";

    /// <summary>Runs <paramref name="r"/>: 0 when done, 1 when a plan has errors; refusals throw <see cref="MigOperationException"/>.</summary>
    public static int Run(MigrationRequest r, SchemaModel model, CommandOutput output)
    {
        var hash = SchemaHash.Compute(model);
        if (r.Verb == "plan" && r.PlanFrom is not null) return PlanFrom(r, model, hash, output);
        var (oldPath, newPath) = Resolve(r, hash, required: r.Verb != "status");
        // A plan's lines are its answer; every other verb's lines are progress.
        var log = r.Verb == "plan" && !r.Json ? output.Result : output.Progress;
        var migrator = new Migrator(model, hash, oldPath, newPath, log) { Ignored = IgnoredTables.From(r.IgnoreTables), Hook = PhaseHook.For(r.Hook) };
        try
        {
            switch (r.Verb)
            {
                case "plan": return Plan(r, model, hash, migrator, output);
                case "migrate": migrator.Migrate(offline: r.Offline, allowDataLoss: r.AllowDataLoss); break;
                case "drain": migrator.Drain(forcePause: r.ForcePause); break;
                case "switch": migrator.Switch(forcePause: r.ForcePause, allowDataLoss: r.AllowDataLoss); break;
                case "catch-up": migrator.CatchUp(); break;
                case "verify": migrator.Verify(allowDataLoss: r.AllowDataLoss); break;
                case "cutover": migrator.Cutover(allowDataLoss: r.AllowDataLoss); break;
                case "reset": migrator.Reset(); break;
                case "revert": migrator.Revert(allowDataLoss: r.AllowDataLoss); break;
                case "archive-old": migrator.ArchiveOld(r.ArchiveTo); break;
                case "status":
                    var report = migrator.Status();
                    if (r.Json) output.Result(report.ToJson());
                    else foreach (var line in report.Lines()) output.Result(line);
                    foreach (var file in r.StatusFiles) Write(file, report.ToJson());
                    return 0;
                default: throw new UsageException($"unknown verb '{r.Verb}'");
            }
            output.Finished?.Invoke(migrator.Status());
        }
        catch (SqliteException e)
        {
            var (code, message) = SqliteFailures.Explain(e);
            throw new MigOperationException(code, $"{message} Old file: {oldPath}; new file: {newPath}.", e);
        }
        return 0;
    }

    /// <summary>
    /// plan: the plan's lines (or its JSON with --json), and the JSON and the SQL for review in the
    /// files asked for, written even when the plan has errors (the JSON lists them).
    /// </summary>
    private static int Plan(MigrationRequest r, SchemaModel model, string hash, Migrator migrator, CommandOutput output)
    {
        // A refusal before any plan (no old file, say) must not leave a previous run's files to be read as this one's.
        foreach (var file in new[] { r.PlanFile, r.PlanSqlFile }) if (file is not null && File.Exists(file)) File.Delete(file);
        return Report(r, model, hash, migrator.Plan(online: !r.Offline), output);
    }

    /// <summary>plan --plan-from: against the previous schema's SQL alone, where an unaccepted possible loss is an error.</summary>
    private static int PlanFrom(MigrationRequest r, SchemaModel model, string hash, CommandOutput output)
    {
        foreach (var file in new[] { r.PlanFile, r.PlanSqlFile }) if (file is not null && File.Exists(file)) File.Delete(file);
        var plan = SchemaOnlyPlan.Create(Path.GetFullPath(r.PlanFrom!), model, online: !r.Offline, r.AllowDataLoss, IgnoredTables.From(r.IgnoreTables));
        (r.Json ? output.Progress : output.Result)($"Mig: planned against the previous schema in {r.PlanFrom} (no data: every change that loses data when the tables hold any is listed).");
        if (!r.Json) foreach (var line in PlanReport.Lines(plan, r.AllowDataLoss)) output.Result(line);
        return Report(r, model, hash, plan, output);
    }

    private static int Report(MigrationRequest r, SchemaModel model, string hash, MigrationPlan plan, CommandOutput output)
    {
        var json = PlanJson.Serialize(plan);
        if (r.Json) output.Result(json);
        if (r.PlanFile is { } planFile) Write(planFile, json);
        if (r.PlanSqlFile is { } sqlFile) Write(sqlFile, PlanSql.Build(plan, model, hash));
        // The ERROR lines carry the codes (MSBuild reads them as errors); the exit code says it too.
        return plan.Errors.Count > 0 ? 1 : 0;
    }

    private static void Write(string file, string text)
    {
        var path = Path.GetFullPath(file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>
    /// The old file is -p:MigDatabase, or else the one <c>name-*.db</c> in the
    /// database directory that is neither the current schema's file nor retired
    /// or unfinished; the new file is -p:MigNewDatabase, or else the one the
    /// old file records (a migration in progress acts on its own pair, whatever this
    /// checkout's schema or the -p:MigNewDatabase of migrate time), or else the
    /// current schema's file next to the old one. Paths are resolved (symlinks, "..").
    /// </summary>
    private static (string Old, string New) Resolve(MigrationRequest r, string hash, bool required)
    {
        var name = r.DatabaseName;
        var fileName = Protocol.DatabaseFileName(name, hash);
        var explicitOld = r.Database is { } o ? PathResolver.Resolve(o) : null;
        var explicitNew = r.NewDatabase is { } n ? PathResolver.Resolve(n) : null;
        var dir = explicitOld is not null ? Path.GetDirectoryName(explicitOld)! : PathResolver.Resolve(r.DatabaseDir ?? throw new UsageException($"{r.Verb} needs --database-dir"));
        var computedNew = explicitNew ?? Path.Combine(dir, fileName);
        string NewFor(string old) => explicitNew ?? RecordedPair.TryRead(old)?.NewDatabase ?? computedNew;
        if (explicitOld is not null) return (explicitOld, NewFor(explicitOld));

        var candidates = LiveFiles.Find(dir, name, besides: computedNew);
        if (candidates.Count == 1) return (candidates[0], NewFor(candidates[0]));
        if (!required) return (candidates.Count == 0 ? Path.Combine(dir, name + "-<none>.db") : string.Join(" | ", candidates), computedNew);
        if (candidates.Count == 0)
            throw new MigOperationException(MigCode.NoOldDatabase,
                $"No old database {name}-*.db in {dir} besides the current schema's {fileName}. Set -p:MigDatabase=<path of the live database> (for a first database, run MigInit).");
        throw new MigOperationException(MigCode.NoOldDatabase,
            $"Several databases could be the old one in {dir}: {string.Join(", ", candidates.Select(Path.GetFileName))}. Set -p:MigDatabase=<path> to the live one (MigArchiveOld retires the others).");
    }
}
