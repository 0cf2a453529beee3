using System.Reflection;
using System.Text.Json;
using Mig.Migration;
using Mig.Schema;
using Mig.Sql;

namespace Mig;

/// <summary>
/// The command line of a migration bundle (<c>dotnet build -t:MigBundle</c>): the program <c>mig</c>
/// is this one call. It runs the same verbs, with the same engine, messages, MIG codes, JSON and
/// exit codes, as the MSBuild targets (docs/msbuild.md, "The migration bundle"), from the schema
/// model the bundle carries next to it. It needs no SDK, source, NuGet or MSBuild.
/// </summary>
public static class MigCommandLine
{
    /// <summary>The compiled schema model in the bundle folder.</summary>
    internal const string ModelFileName = "model.json";

    /// <summary>The bundle's settings in its folder: <c>{"databaseName": "..."}</c>.</summary>
    internal const string SettingsFileName = "mig.bundle.json";

    /// <summary>
    /// Runs <c>mig &lt;verb&gt; [options]</c> (<c>mig --help</c> lists them) with the model and settings
    /// found in <see cref="AppContext.BaseDirectory"/>. Progress goes to standard error; the answer
    /// (plan, status, the state a step left) to standard output; errors to standard error as
    /// <c>mig : error MIGnnnn: message</c>.
    /// </summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <returns>0 when done; 1 when refused or failed (with a MIGnnnn code); 2 for a wrong command line.</returns>
    public static int Run(string[] args) => Run(args, AppContext.BaseDirectory, Console.Out, Console.Error);

    /// <summary><see cref="Run(string[])"/> with the bundle folder and the two streams given (for tests).</summary>
    internal static int Run(IReadOnlyList<string> args, string bundleDirectory, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        var output = new CommandOutput(stderr.WriteLine, stdout.WriteLine, stderr.WriteLine)
        {
            Finished = report => stdout.WriteLine($"Mig: phase {report.Phase}. Next: {report.Next}"),
        };
        return CommandFailures.Run(() => "mig", m => $"{m}. Run 'mig --help'.", output.Error, () =>
        {
            if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
            {
                var (model, name) = Load(bundleDirectory);
                foreach (var line in BundleHelp.General(Version, SchemaHash.Compute(model), name)) stdout.WriteLine(line);
                return args.Count == 0 ? 2 : 0;
            }
            if (args[0] == "--version")
            {
                var (model, name) = Load(bundleDirectory);
                stdout.WriteLine($"Mig {Version} schema {SchemaHash.Compute(model)} database {name}");
                return 0;
            }
            var a = BundleArguments.Parse(args);
            if (a.Has("help"))
            {
                foreach (var line in BundleHelp.ForVerb(a.Verb)) stdout.WriteLine(line);
                return 0;
            }
            var (schema, databaseName) = Load(bundleDirectory);
            return Verb(a, schema, databaseName, output);
        });
    }

    private static int Verb(BundleArguments a, SchemaModel model, string databaseName, CommandOutput output)
    {
        var dir = Path.GetFullPath(a.Value("database-dir") ?? ".");
        switch (a.Verb)
        {
            case "script":
                return a.Value("out") is { } file ? SchemaVerbs.WriteScript(model, file, output.Result) : Print(SchemaVerbs.Script(model), output);
            case "init":
                var path = a.Value("new-database") ?? a.Value("database") ?? Path.Combine(dir, Protocol.DatabaseFileName(databaseName, SchemaHash.Compute(model)));
                return SchemaVerbs.Init(model, path, output.Result);
            default:
                var request = new MigrationRequest(a.Verb, databaseName)
                {
                    DatabaseDir = dir,
                    Database = a.Value("database"),
                    NewDatabase = a.Value("new-database"),
                    Offline = a.Has("offline"),
                    AllowDataLoss = a.Has("allow-data-loss"),
                    ForcePause = a.Has("force-pause"),
                    ArchiveTo = a.Value("archive-to") is { } to ? Path.GetFullPath(to) : null,
                    StatusFiles = a.Value("status-file") is { } status ? [status] : [],
                    IgnoreTables = a.All("ignore-table"),
                    Hook = a.Value("hook"),
                    Json = a.Has("json"),
                    PlanFile = a.Value("plan-file") is { } planFile ? Path.GetFullPath(planFile) : null,
                    PlanSqlFile = a.Value("plan-sql") is { } planSql ? Path.GetFullPath(planSql) : null,
                    PlanFrom = a.Value("plan-from") is { } planFrom ? Path.GetFullPath(planFrom) : null,
                };
                return MigrationVerbs.Run(request, model, output);
        }
    }

    private static int Print(string text, CommandOutput output)
    {
        output.Result(text.TrimEnd('\n'));
        return 0;
    }

    /// <summary>Mig's version (Mig.Core's informational version, without build metadata).</summary>
    private static string Version
    {
        get
        {
            var v = typeof(MigCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
            return v.Split('+')[0];
        }
    }

    private static (SchemaModel Model, string DatabaseName) Load(string bundleDirectory)
    {
        var model = ModelFile.Load(Path.Combine(bundleDirectory, ModelFileName));
        var settings = Path.Combine(bundleDirectory, SettingsFileName);
        if (!File.Exists(settings))
            throw new MigOperationException(MigCode.ModelUnreadable, $"The bundle's settings {settings} are missing. Build the bundle again (dotnet build -t:MigBundle).");
        using var json = JsonDocument.Parse(File.ReadAllText(settings));
        var name = json.RootElement.TryGetProperty("databaseName", out var n) ? n.GetString() : null;
        if (string.IsNullOrEmpty(name))
            throw new MigOperationException(MigCode.ModelUnreadable, $"The bundle's settings {settings} name no databaseName. Build the bundle again (dotnet build -t:MigBundle).");
        return (model, name);
    }
}
