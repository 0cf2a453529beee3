using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// docs/pipelines.md's workflow, every <c>run:</c> step as written, in a real git repository (a pull
/// request against <c>origin/main</c>) and against a real database folder: the plan gate fails a
/// pull request that drops a column and passes one that does not, and the bundle built on main
/// migrates, drains, cuts over and archives on the "server".
/// </summary>
[TestClass]
[TestCategory("Build")]
public sealed partial class PipelineDocTests
{
    private const string AppDir = "src/School";

    /// <summary>The workflow's steps that run commands: job, step name, script.</summary>
    private static List<(string Job, string Name, string Script)> Steps()
    {
        var doc = File.ReadAllText(Path.Combine(Repo.Root, "docs", "pipelines.md"));
        var yaml = YamlBlock().Match(doc);
        Assert.IsTrue(yaml.Success, "docs/pipelines.md has a ```yaml block");
        var lines = yaml.Groups[1].Value.Split('\n');
        var steps = new List<(string, string, string)>();
        string job = "", name = "";
        for (var i = 0; i < lines.Length; i++)
        {
            if (JobLine().Match(lines[i]) is { Success: true } j) job = j.Groups[1].Value;
            if (NameLine().Match(lines[i]) is { Success: true } n) name = n.Groups[1].Value;
            if (RunLine().Match(lines[i]) is not { Success: true } run) continue;
            var indent = run.Groups[1].Value.Length;
            if (run.Groups[2].Value != "|") { steps.Add((job, name, run.Groups[2].Value)); continue; }
            var body = new List<string>();
            while (i + 1 < lines.Length && (lines[i + 1].Length == 0 || lines[i + 1].TakeWhile(c => c == ' ').Count() > indent)) body.Add(lines[++i].Trim());
            steps.Add((job, name, string.Join("\n", body).Trim()));
        }
        return steps;
    }

    private static ProcessResult Bash(string cwd, string script, Dictionary<string, string> env)
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = cwd };
        psi.ArgumentList.Add("-euo");
        psi.ArgumentList.Add("pipefail");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        ChildEnvironment.Apply(psi.Environment, DotNetOptions.Default);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        return ProcessRunner.Run(psi, TimeSpan.FromMinutes(5));
    }

    private static void Git(string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = cwd };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "test";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "test@example.org";
        var r = ProcessRunner.Run(psi, TimeSpan.FromMinutes(1));
        Assert.AreEqual(0, r.ExitCode, $"git {string.Join(' ', args)}\n{r.StdOut}\n{r.StdErr}");
    }

    private static ProcessResult Step(List<(string Job, string Name, string Script)> steps, string name, string cwd, Dictionary<string, string> env) =>
        Bash(cwd, steps.Single(s => s.Name == name).Script, env);

    private static void Succeeded(ProcessResult r, string what) =>
        Assert.AreEqual(0, r.ExitCode, $"{what}\n--- stdout\n{r.StdOut}\n--- stderr\n{r.StdErr}");

    private const string DropsEmail = """
        using Mig;

        namespace SchoolApp.Schema;

        [AutoIncPK(nameof(Id))]
        public sealed record Student(long Id, string Name);
        """;

    [TestMethod]
    public void TheWorkflowGatesThePullRequestAndMigratesOnTheServerAsWritten()
    {
        var steps = Steps();
        CollectionAssert.AreEquivalent(
            new[] { "Previous schema", "Plan against it", "App and bundle", "Plan on the server", "Copy while the service serves", "Status before the switch", "Drain and cut over", "Archive the old file" },
            steps.Select(s => s.Name).ToArray(), "the test runs every run: step of the workflow");

        // A repository whose main is the app at v1, pushed to its origin.
        using var app = Consumer.Create(project: ProjectXml.Additive("<OutputType>Exe</OutputType><MigDatabaseName>school</MigDatabaseName>"),
            files: [("Schema/School.cs", Schemas.Student), ("Program.cs", "System.Console.WriteLine(\"school\");\n")]);
        var root = app.NewFolder("pipeline");
        var origin = Path.Combine(root, "origin.git");
        var repo = Path.Combine(root, "repo");
        var project = Path.Combine(repo, AppDir);
        Directory.CreateDirectory(project);
        foreach (var f in new[] { "SchoolApp.csproj", "nuget.config", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "Program.cs" })
            File.Copy(app.PathOf(f), Path.Combine(project, f));
        Directory.CreateDirectory(Path.Combine(project, "Schema"));
        File.WriteAllText(Path.Combine(project, "Schema/School.cs"), Schemas.Student);
        File.WriteAllText(Path.Combine(repo, ".gitignore"), "bin/\nobj/\nout/\n*.sql\n*.json\n");
        Git(root, "init", "-q", "--bare", "origin.git");
        Git(repo, "init", "-q", "-b", "main");
        Git(repo, "add", "-A");
        Git(repo, "commit", "-q", "-m", "v1");
        Git(repo, "remote", "add", "origin", origin);
        Git(repo, "push", "-q", "origin", "main");
        Git(repo, "fetch", "-q", "origin");

        // The server's folder: the database v1 created, with a row the service wrote.
        var data = Path.Combine(root, "srv-data");
        Directory.CreateDirectory(data);
        Succeeded(Bash(repo, $"dotnet build \"{AppDir}\" -t:MigInit -p:MigDatabaseDir=\"{data}\"", []), "v1 creates the live file");
        var v1File = Directory.GetFiles(data, "school-*.db").Single();
        using (var c = new SqliteConnection($"Data Source={v1File};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO student(name, email) VALUES ('Lin', 'lin@example.org')";
            cmd.ExecuteNonQuery();
        }
        var env = new Dictionary<string, string> { ["APP_DIR"] = AppDir, ["DATA_DIR"] = data, ["BASE_REF"] = "main", ["ACCEPT_LOSS"] = "false" };

        // Pull request 1 drops a column with data: the gate fails with MIG0042, and passes once the loss is accepted.
        Git(repo, "checkout", "-q", "-b", "drop-email");
        File.WriteAllText(Path.Combine(project, "Schema/School.cs"), DropsEmail);
        Succeeded(Step(steps, "Previous schema", repo, env), "Previous schema");
        var refused = Step(steps, "Plan against it", repo, env);
        Assert.AreNotEqual(0, refused.ExitCode, refused.StdOut);
        StringAssert.Contains(refused.StdOut, "MIG0042");
        StringAssert.Contains(refused.StdOut, "column student.email is dropped");
        Assert.IsTrue(File.Exists(Path.Combine(repo, "plan.json")) && File.Exists(Path.Combine(repo, "plan.sql")), "the plan is there for review even when it fails");
        Succeeded(Step(steps, "Plan against it", repo, new(env) { ["ACCEPT_LOSS"] = "true" }), "the accept-data-loss label");
        Git(repo, "worktree", "remove", "--force", "../base");

        // Pull request 2 adds a column with a default: the gate passes; it is merged and main builds the release.
        Git(repo, "checkout", "-q", "-f", "main");
        Git(repo, "checkout", "-q", "-b", "add-age");
        File.WriteAllText(Path.Combine(project, "Schema/School.cs"), Schemas.StudentWithAgeDefault);
        Succeeded(Step(steps, "Previous schema", repo, env), "Previous schema");
        Succeeded(Step(steps, "Plan against it", repo, env), "Plan against it");
        StringAssert.Contains(File.ReadAllText(Path.Combine(repo, "plan.json")), "\"age\"");
        Succeeded(Step(steps, "App and bundle", repo, env), "App and bundle");

        // The server: plan, copy, a write while the service still serves, then the gated switch and the archive.
        foreach (var name in new[] { "Plan on the server", "Copy while the service serves" }) Succeeded(Step(steps, name, repo, env), name);
        using (var c = new SqliteConnection($"Data Source={v1File};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO student(name, email) VALUES ('Bo', 'bo@example.org')";
            cmd.ExecuteNonQuery();
        }
        foreach (var name in new[] { "Status before the switch", "Drain and cut over", "Archive the old file" }) Succeeded(Step(steps, name, repo, env), name);

        var live = Directory.GetFiles(data, "school-*.db").Single();
        Assert.AreNotEqual(v1File, live);
        Assert.IsTrue(File.Exists(Path.Combine(data, "archive", Path.GetFileName(v1File))), "the old file is archived");
        using var db = new SqliteConnection($"Data Source={live};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var read = db.CreateCommand();
        read.CommandText = "SELECT group_concat(name || ':' || age, ',') FROM (SELECT name, age FROM student ORDER BY id)";
        Assert.AreEqual("Ada:7,Grace:7,Lin:7,Bo:7", read.ExecuteScalar(), "every row, the one written during the copy included");
    }

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    [GeneratedRegex(@"^  ([a-z][a-z-]*):\s*$")]
    private static partial Regex JobLine();

    [GeneratedRegex(@"^\s*- name: (.+?)\s*$")]
    private static partial Regex NameLine();

    [GeneratedRegex(@"^(\s*)run: (.+?)\s*$")]
    private static partial Regex RunLine();
}
