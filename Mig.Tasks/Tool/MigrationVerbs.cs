using Microsoft.Data.Sqlite;
using Mig.Migration;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Tasks.Tool;

/// <summary>
/// The tool verbs of hot migrations (plan, migrate, drain, verify, cutover,
/// status, reset, archive-old): resolve the pair of files, then call the
/// <see cref="Migrator"/>. Messages go to stdout, which the MSBuild task shows.
/// </summary>
internal static class MigrationVerbs
{
    public static bool Handles(string verb) => verb is "plan" or "migrate" or "drain" or "verify" or "cutover" or "status" or "reset" or "archive-old";

    public static int Run(ToolArguments a, SchemaModel model)
    {
        var hash = SchemaHash.Compute(model);
        var (oldPath, newPath) = Resolve(a, hash, required: a.Verb != "status");
        var migrator = new Migrator(model, hash, oldPath, newPath, Console.WriteLine);
        try
        {
            switch (a.Verb)
            {
                case "plan": migrator.Plan(online: !Flag(a, "offline")); break;
                case "migrate": migrator.Migrate(offline: Flag(a, "offline"), allowDataLoss: Flag(a, "allow-data-loss")); break;
                case "drain": migrator.Drain(); break;
                case "verify": migrator.Verify(allowDataLoss: Flag(a, "allow-data-loss")); break;
                case "cutover": migrator.Cutover(allowDataLoss: Flag(a, "allow-data-loss")); break;
                case "reset": migrator.Reset(); break;
                case "archive-old": migrator.ArchiveOld(a.Optional("archive-to")); break;
                case "status":
                    var report = migrator.Status();
                    foreach (var line in report.Lines()) Console.WriteLine(line);
                    foreach (var file in a.All("status-file"))
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                        File.WriteAllText(file, report.ToJson());
                    }
                    break;
            }
        }
        catch (SqliteException e)
        {
            var (code, message) = SqliteFailures.Explain(e);
            throw new MigOperationException(code, $"{message} Old file: {oldPath}; new file: {newPath}.", e);
        }
        return 0;
    }

    private static bool Flag(ToolArguments a, string name) => a.Optional(name) is "true" or "True";

    /// <summary>
    /// The old file is -p:MigDatabase, or else the one <c>name-*.db</c> in the
    /// database directory that is neither the current schema's file nor retired
    /// or unfinished; the new file is -p:MigNewDatabase, or else the one the
    /// old file records (a migration in progress acts on its own pair, whatever this
    /// checkout's schema or the -p:MigNewDatabase of migrate time), or else the
    /// current schema's file next to the old one. Paths are resolved (symlinks, "..").
    /// </summary>
    private static (string Old, string New) Resolve(ToolArguments a, string hash, bool required)
    {
        var name = a.Required("database-name");
        var fileName = Protocol.DatabaseFileName(name, hash);
        var explicitOld = a.Optional("database") is { } o ? PathResolver.Resolve(o) : null;
        var explicitNew = a.Optional("new-database") is { } n ? PathResolver.Resolve(n) : null;
        var dir = explicitOld is not null ? Path.GetDirectoryName(explicitOld)! : PathResolver.Resolve(a.Required("database-dir"));
        var computedNew = explicitNew ?? Path.Combine(dir, fileName);
        string NewFor(string old) => explicitNew ?? RecordedPair.TryRead(old)?.NewDatabase ?? computedNew;
        if (explicitOld is not null) return (explicitOld, NewFor(explicitOld));

        var candidates = Directory.Exists(dir)
            ? Directory.GetFiles(dir, name + "-*.db").Select(PathResolver.Resolve).Where(f => !PathResolver.Same(f, computedNew) && IsLive(f)).Distinct().Order(StringComparer.Ordinal).ToList()
            : [];
        if (candidates.Count == 1) return (candidates[0], NewFor(candidates[0]));
        if (!required) return (candidates.Count == 0 ? Path.Combine(dir, name + "-<none>.db") : string.Join(" | ", candidates), computedNew);
        if (candidates.Count == 0)
            throw new MigOperationException(MigCode.NoOldDatabase,
                $"No old database {name}-*.db in {dir} besides the current schema's {fileName}. Set -p:MigDatabase=<path of the live database> (for a first database, run MigInit).");
        throw new MigOperationException(MigCode.NoOldDatabase,
            $"Several databases could be the old one in {dir}: {string.Join(", ", candidates.Select(Path.GetFileName))}. Set -p:MigDatabase=<path> to the live one (MigArchiveOld retires the others).");
    }

    /// <summary>
    /// A file that could be the live database: not a migration's unfinished file, not retired by
    /// MigArchiveOld. (An old file cut over but not archived yet still counts: MigArchiveOld finds it.)
    /// </summary>
    private static bool IsLive(string path)
    {
        var record = RecordedPair.TryRead(path);
        return record is not null && record.OwnStatus is null or Protocol.Ready;
    }
}
