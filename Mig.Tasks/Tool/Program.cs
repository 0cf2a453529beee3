using Mig.CodeGen;
using Mig.Migration;
using Mig.Schema;
using Mig.Sql;
using Mig.Tasks.Schema;

namespace Mig.Tasks.Tool;

/// <summary>
/// The short-lived process behind the MSBuild tasks. Each verb prints canonical
/// diagnostics (<c>file(line,col): error MIGnnnn: ...</c>) that the calling
/// ToolTask turns into MSBuild errors, and exits non-zero on failure.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var origin = "Mig";
        return CommandFailures.Run(() => origin, m => $"Mig tool usage: {m}. This is a bug in Mig's targets; please report it.", Console.WriteLine, () =>
        {
            var a = ToolArguments.Parse(args);
            origin = a.Optional("project") ?? origin;
            return a.Verb switch
            {
                "compile" => Compile(a, origin),
                "script" => SchemaVerbs.WriteScript(LoadModel(a), a.Required("out"), Console.WriteLine),
                "init" => SchemaVerbs.Init(LoadModel(a), a.Required("database"), Console.WriteLine),
                "generate" => Generate(a, origin),
                _ when MigrationVerbs.Handles(a.Verb) => Migrate(a),
                _ => throw new UsageException($"unknown verb '{a.Verb}'"),
            };
        });
    }

    /// <summary>A verb of hot migrations, with the arguments the MigMigration task passes.</summary>
    private static int Migrate(ToolArguments a)
    {
        var model = LoadModel(a);
        return MigrationVerbs.Run(Request(a), model, CommandOutput.Console);
    }

    private static MigrationRequest Request(ToolArguments a) => new(a.Verb, a.Required("database-name"))
    {
        DatabaseDir = a.Optional("database-dir"),
        Database = a.Optional("database"),
        NewDatabase = a.Optional("new-database"),
        Offline = Flag(a, "offline"),
        AllowDataLoss = Flag(a, "allow-data-loss"),
        ForcePause = Flag(a, "force-pause"),
        ArchiveTo = a.Optional("archive-to"),
        StatusFiles = a.All("status-file"),
        IgnoreTables = a.All("ignore-table"),
        PlanFile = a.Optional("plan-file"),
        PlanSqlFile = a.Optional("plan-sql"),
        PlanFrom = a.Optional("plan-from"),
        // Base64: a response file carries one value a line, and a command may hold line breaks or quotes.
        Hook = a.Optional("hook-base64") is { } hook ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(hook)) : null,
    };

    private static bool Flag(ToolArguments a, string name) => a.Optional(name) is "true" or "True";

    /// <summary>compile: schema sources to the schema assembly, the model JSON and the hash file.</summary>
    private static int Compile(ToolArguments a, string origin)
    {
        var outModel = a.Required("out-model");
        var outHash = a.Required("out-hash");
        var outAssembly = a.Optional("out-assembly");
        // Stale outputs must not survive a failed compile, or the next
        // incremental build would skip the compile and use them.
        foreach (var f in new[] { outModel, outHash, outAssembly }) if (f is not null && File.Exists(f)) File.Delete(f);

        var sources = a.All("source").Select(p => (Path: Path.GetFullPath(p), Text: File.ReadAllText(p))).ToList();
        if (sources.Count == 0)
        {
            Console.WriteLine(new MigDiagnostic(MigCode.NoSchemaFiles,
                "No schema files: @(MigSchema) is empty. Put the schema records under Schema/ or add <MigSchema Include=\"...\" /> items.").Format(origin));
            return 1;
        }
        var result = SchemaCompiler.Compile(new SchemaCompileRequest(sources, a.All("reference"), a.All("using"),
            a.Optional("assembly-name") ?? "MigSchema", a.Optional("nullable") is not ("disable" or "false")));
        foreach (var d in result.Diagnostics) Console.WriteLine(d.Format(origin));
        if (!result.Succeeded) return 1;

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outModel))!);
        if (outAssembly is not null) File.WriteAllBytes(outAssembly, result.Assembly!);
        File.WriteAllText(outModel, SchemaModelJson.Serialize(result.Model!));
        File.WriteAllText(outHash, result.Hash + "\n");
        var m = result.Model!;
        Console.WriteLine($"Mig: schema {result.Hash}: {m.Tables.Count} tables, {m.Views.Count} views, {m.Seeds.Sum(s => s.Rows.Count)} seed rows.");
        return 0;
    }

    private static SchemaModel LoadModel(ToolArguments a) => ModelFile.Load(a.Required("model"));

    /// <summary>
    /// generate: the query code of the schema, checked before it is written: every SQL
    /// statement it runs must prepare against the schema (MIG0022, at the schema line of
    /// the attribute that made it), and the C# must parse (MIG0093).
    /// </summary>
    private static int Generate(ToolArguments a, string origin)
    {
        var model = LoadModel(a);
        var output = Path.GetFullPath(a.Required("out"));
        var shared = DatabaseNamespaces.Shared(a.Required("model"), model, a.All("other-model"), ModelFile.Load);
        if (shared is not null)
        {
            Console.WriteLine(new MigDiagnostic(MigCode.DatabasesShareNamespace, shared).Format(origin));
            return 1;
        }
        var generated = QueryEmitter.Generate(model, SchemaHash.Compute(model), a.Required("database-name"));
        var sqlErrors = GeneratedSqlCheck.Check(Ddl.Statements(model), generated.Statements);
        if (sqlErrors.Count > 0)
        {
            // The sources only place the errors; the model was reflected from them by the compile step.
            var map = SourceMap.Parse(a.All("source").Where(File.Exists).Select(p => (Path.GetFullPath(p), File.ReadAllText(p))));
            foreach (var e in sqlErrors) Console.WriteLine(map.Locate(e).Format(origin));
            // No code around a statement that cannot run: a stale file must not compile on.
            if (File.Exists(output)) File.Delete(output);
            return 1;
        }
        var code = generated.Code;
        var errors = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(code, new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Preview), output)
            .GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            // Invalid generated code is Mig's bug, never the user's: say so, and keep the file for the report.
            File.WriteAllText(output + ".invalid", code);
            foreach (var e in errors.Take(5))
                Console.WriteLine(new MigDiagnostic(MigCode.GeneratedCodeInvalid, $"Mig generated invalid C# ({e.Id}: {e.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}) at line {e.Location.GetLineSpan().StartLinePosition.Line + 1} of {output}.invalid. This is a bug in Mig; please report it with that file.").Format(origin));
            return 1;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        // Write only on change, so an unchanged model does not make CoreCompile run again.
        if (!File.Exists(output) || File.ReadAllText(output) != code) File.WriteAllText(output, code);
        Console.WriteLine($"Mig: generated queries for {model.Tables.Count} tables and {model.Views.Count} views in {output}");
        return 0;
    }
}
