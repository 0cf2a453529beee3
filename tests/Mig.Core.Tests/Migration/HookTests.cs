using System.Text.Json;
using Mig.Migration;
using Mig.Schema;
using static Mig.Core.Tests.Migration.RowAssert;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// The operator's hook (-p:MigHook, mig --hook; issue 12): a real shell script run after each step with
/// the phase, both files and the status JSON in its environment, its output shown; a failing
/// 'verified' hook vetoes the cutover and leaves everything as the drain left it, a failing hook after
/// any other step fails the command and says that the step is done.
/// </summary>
[TestClass]
public sealed class HookTests
{
    internal const string V1 = """
        [PK(nameof(Id))]
        public sealed record Item(long Id, string Name);
        """;

    internal const string V2 = """
        [PK(nameof(Id))]
        [Default(nameof(Stock), "5")]
        public sealed record Item(long Id, string Name, long Stock);
        """;

    [TestMethod]
    public void EveryStepRunsTheHookWithItsPhaseBothFilesAndTheStatus()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO item VALUES (1, 'one')");
        var hook = Hook.In(pair);

        var migrate = hook.Mig("migrate");
        Assert.AreEqual(0, migrate.ExitCode, migrate.Output);
        StringAssert.Contains(migrate.Output, "Mig: hook recording: hook saw recording");
        StringAssert.Contains(migrate.Output, "Mig: hook recording: on stderr recording", "standard error is shown too");
        pair.WriteOld("INSERT INTO item VALUES (2, 'two')");
        Assert.AreEqual(0, hook.Mig("drain").ExitCode);
        var cutover = hook.Mig("cutover");
        Assert.AreEqual(0, cutover.ExitCode, cutover.Output);
        Assert.AreEqual(0, hook.Mig("archive-old").ExitCode);

        Assert.AreEqual("recording, drained, verified, ready, archived", string.Join(", ", hook.Runs.Select(r => r.Phase)));
        foreach (var run in hook.Runs)
        {
            Assert.AreEqual(pair.OldPath, run.Old, run.Phase);
            Assert.AreEqual(pair.NewPath, run.New, run.Phase);
            Assert.AreEqual(Environment.CurrentDirectory, run.WorkingDirectory, "the hook runs in the current directory");
            Assert.IsFalse(File.Exists(run.StatusFile), "the status file was written for the hook only");
        }
        Assert.AreEqual(("recording", pair.OldPath), hook.Status("recording"));
        Assert.AreEqual(("drained", pair.OldPath), hook.Status("drained"));
        Assert.AreEqual(("drained", pair.OldPath), hook.Status("verified"), "the gate runs before anything is marked");
        Assert.AreEqual(("cut-over", pair.NewPath), hook.Status("ready"));
        Assert.AreEqual(("done", pair.NewPath), hook.Status("archived"));
        AreEqual([Row(1L, "one", 5L), Row(2L, "two", 5L)], pair.Rows(pair.NewPath, "SELECT id, name, stock FROM item ORDER BY id"));
        var gate = pair.Rows(pair.NewPath, $"SELECT result, detail FROM {Protocol.AuditTable} WHERE operation = 'MigCutover hook'").Single();
        Assert.AreEqual("ok", gate[0]);
        StringAssert.Contains((string)gate[1]!, "the verified hook `sh ");
    }

    [TestMethod]
    public void SwitchDrainsAndCutsOverInOneCallAndAVetoLeavesItDrained()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO item VALUES (1, 'one')");
        var hook = Hook.In(pair);
        Assert.AreEqual(0, hook.Mig("migrate").ExitCode);
        pair.WriteOld("INSERT INTO item VALUES (2, 'two')");

        // A vetoing gate: the drain is done and stays so (writes paused), nothing is cut over.
        hook.FailAt("verified", "replica behind");
        var vetoed = hook.Mig("switch");
        Assert.AreEqual(1, vetoed.ExitCode, vetoed.Output);
        StringAssert.Contains(vetoed.Output, "Drain complete. Cutting over (MigSwitch).");
        StringAssert.Contains(vetoed.Output, "MIG0059");
        Assert.AreEqual("recording, drained, verified", string.Join(", ", hook.Runs.Select(r => r.Phase)));
        Assert.AreEqual(Protocol.Draining, pair.Scalar(pair.OldPath, $"SELECT status FROM {Protocol.MarkerTable}"));
        Assert.AreEqual(Protocol.Migrating, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"), "nothing marked ready");

        // Run again: the drain has nothing left to replay, the gate passes, the new file serves.
        hook.FailAt("verified", null);
        var done = hook.Mig("switch");
        Assert.AreEqual(0, done.ExitCode, done.Output);
        Assert.AreEqual("recording, drained, verified, drained, verified, ready", string.Join(", ", hook.Runs.Select(r => r.Phase)));
        Assert.AreEqual(("cut-over", pair.NewPath), hook.Status("ready"));
        AreEqual([Row(1L, "one", 5L), Row(2L, "two", 5L)], pair.Rows(pair.NewPath, "SELECT id, name, stock FROM item ORDER BY id"));
    }

    [TestMethod]
    public void AnOfflineMigrateRunsTheCopiedHookAndAResetRunsTheResetHook()
    {
        using var offline = MigrationPair.Create(V1, "INSERT INTO item VALUES (1, 'one')");
        var hook = Hook.In(offline);
        Assert.AreEqual(0, hook.Mig("migrate", "--offline").ExitCode);
        Assert.AreEqual("copied", hook.Runs.Single().Phase);
        Assert.AreEqual(("done", offline.NewPath), hook.Status("copied"), "offline, the new file is ready when the hook runs");

        using var abandoned = MigrationPair.Create(V1, "INSERT INTO item VALUES (1, 'one')");
        var resetHook = Hook.In(abandoned);
        Assert.AreEqual(0, resetHook.Mig("migrate").ExitCode);
        Assert.AreEqual(0, resetHook.Mig("reset").ExitCode);
        Assert.AreEqual("recording, reset", string.Join(", ", resetHook.Runs.Select(r => r.Phase)));
        Assert.AreEqual(abandoned.NewPath, resetHook.Runs[1].New, "the hook learns which file is gone");
        Assert.IsFalse(File.Exists(abandoned.NewPath));
        Assert.AreEqual(("none", abandoned.OldPath), resetHook.Status("reset"));
    }

    [TestMethod]
    public void AVetoingVerifiedHookCutsNothingOverAndALaterCutoverWithoutTheVetoSucceeds()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO item VALUES (1, 'one')");
        var hook = Hook.In(pair);
        Assert.AreEqual(0, hook.Mig("migrate").ExitCode);
        pair.WriteOld("INSERT INTO item VALUES (2, 'two')", "UPDATE item SET name = 'uno' WHERE id = 1");
        Assert.AreEqual(0, hook.Mig("drain").ExitCode);
        var before = FileContent(pair, pair.OldPath);

        hook.FailAt("verified", "replica of the new file is 3 frames behind");
        var vetoed = hook.Mig("cutover");
        Assert.AreEqual(1, vetoed.ExitCode, vetoed.Output);
        var error = vetoed.Stderr.Split('\n').Single(l => l.StartsWith("mig : error", StringComparison.Ordinal));
        StringAssert.StartsWith(error, $"mig : error {MigCode.HookVetoed}: MigCutover was vetoed: the verified hook `{hook.Command}` exited with code 3; its output: \"");
        // Quoted on the one error line; standard output and error are two pipes, so their lines may interleave either way.
        foreach (var line in new[] { "hook saw verified", "on stderr verified", "replica of the new file is 3 frames behind" }) StringAssert.Contains(error, line);
        StringAssert.Contains(vetoed.Stderr, "Nothing was cut over");
        Assert.AreEqual("recording, drained, verified", string.Join(", ", hook.Runs.Select(r => r.Phase)), "no ready hook after a veto");

        Assert.AreEqual(Protocol.Migrating, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"), "nothing marked ready");
        CollectionAssert.AreEqual(before, FileContent(pair, pair.OldPath), "the old file is exactly as the drain left it (no cutover recorded)");
        var status = pair.Migrator(SchemaFixture.Model(V2)).Status();
        Assert.AreEqual("drained", status.Phase);
        Assert.AreEqual(pair.OldPath, status.Live);
        StringAssert.StartsWith(status.Next, $"The last MigCutover hook failed {MigCode.HookVetoed}: the verified hook");
        StringAssert.Contains(hook.Run("status").Output, $"\n  live    {pair.OldPath}\n", "the text names the live file too");

        hook.FailAt("verified", null);
        var cutover = hook.Mig("cutover");
        Assert.AreEqual(0, cutover.ExitCode, cutover.Output);
        Assert.AreEqual("recording, drained, verified, verified, ready", string.Join(", ", hook.Runs.Select(r => r.Phase)));
        Assert.AreEqual(Protocol.Ready, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"));
        AreEqual([Row(1L, "uno", 5L), Row(2L, "two", 5L)], pair.Rows(pair.NewPath, "SELECT id, name, stock FROM item ORDER BY id"));
        Assert.AreEqual(pair.NewPath, pair.Migrator(SchemaFixture.Model(V2)).Status().Live);
        StringAssert.Contains(hook.Run("status", "--json").Output, $"\"live\": \"{pair.NewPath}\"");
    }

    [TestMethod]
    public void AfterAVetoTheMigrationCanStillBeReset()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO item VALUES (1, 'one')");
        var hook = Hook.In(pair);
        Assert.AreEqual(0, hook.Mig("migrate").ExitCode);
        Assert.AreEqual(0, hook.Mig("drain").ExitCode);
        hook.FailAt("verified", "no");
        Assert.AreEqual(1, hook.Mig("cutover").ExitCode);

        Assert.AreEqual(0, hook.Mig("reset").ExitCode);
        pair.WriteOld("INSERT INTO item VALUES (2, 'two')");
        AreEqual([Row(1L, "one"), Row(2L, "two")], pair.Rows(pair.OldPath, "SELECT id, name FROM item ORDER BY id"));
        Assert.IsFalse(File.Exists(pair.NewPath));
    }

    [TestMethod]
    public void AFailingHookAfterAStepFailsTheCommandAndSaysTheStepIsDone()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO item VALUES (1, 'one')");
        var hook = Hook.In(pair);
        var migrator = pair.Migrator(SchemaFixture.Model(V2));

        hook.FailAt("recording", "could not add the new file to litestream.yml");
        var migrate = hook.Mig("migrate");
        Assert.AreEqual(1, migrate.ExitCode);
        StringAssert.Contains(migrate.Stderr, $"error {MigCode.HookFailed}: MigMigrate completed (phase recording), but the recording hook `{hook.Command}` exited with code 3;");
        StringAssert.Contains(migrate.Stderr, "could not add the new file to litestream.yml");
        StringAssert.Contains(migrate.Stderr, "The step is not undone");
        Assert.AreEqual("recording", migrator.Status().Phase);
        StringAssert.StartsWith(migrator.Status().Next, $"The last MigMigrate hook failed {MigCode.HookFailed}");

        hook.FailAt("drained", "x");
        Assert.AreEqual(1, hook.Mig("drain").ExitCode);
        Assert.AreEqual("drained", migrator.Status().Phase);

        hook.FailAt("ready", "could not tell the load balancer");
        var cutover = hook.Mig("cutover");
        Assert.AreEqual(1, cutover.ExitCode);
        StringAssert.Contains(cutover.Stderr, $"error {MigCode.HookFailed}: MigCutover completed (phase ready)");
        Assert.AreEqual("cut-over", migrator.Status().Phase, "the cutover itself is done");
        Assert.AreEqual(Protocol.Ready, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"));
    }

    [TestMethod]
    public void ARevertRunsTheRevertedHookAndAFailingOneSaysTheRevertIsDone()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO item VALUES (1, 'one')");
        var hook = Hook.In(pair);
        Assert.AreEqual(0, hook.Mig("migrate").ExitCode);
        Assert.AreEqual(0, hook.Mig("drain").ExitCode);
        Assert.AreEqual(0, hook.Mig("cutover").ExitCode);
        pair.Execute(pair.NewPath, "INSERT INTO item VALUES (2, 'two', 5)"); // the new service, after cutover (stock as the migration fills it: no loss)

        hook.FailAt("reverted", "could not point the load balancer back");
        var revert = hook.Mig("revert");
        Assert.AreEqual(1, revert.ExitCode, revert.Output);
        StringAssert.Contains(revert.Stderr, $"error {MigCode.HookFailed}: MigRevert completed (phase reverted), but the reverted hook `{hook.Command}` exited with code 3;");
        StringAssert.Contains(revert.Stderr, "could not point the load balancer back");
        StringAssert.Contains(revert.Stderr, "The step is not undone");
        StringAssert.Contains(revert.Output, "Mig: hook reverted: hook saw reverted");

        Assert.AreEqual("recording, drained, verified, ready, reverted", string.Join(", ", hook.Runs.Select(r => r.Phase)));
        var run = hook.Runs[^1];
        Assert.AreEqual(pair.OldPath, run.Old);
        Assert.AreEqual(pair.NewPath, run.New);
        Assert.IsFalse(File.Exists(run.StatusFile), "the status file was written for the hook only");
        Assert.AreEqual(("reverted", pair.OldPath), hook.Status("reverted"), "the hook runs once the old file is live again");

        // The revert itself is done: the new file is out of service, the old one has the new service's write and takes writes.
        Assert.AreEqual(Protocol.Reverted, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"));
        pair.WriteOld("INSERT INTO item VALUES (3, 'three')");
        AreEqual([Row(1L, "one"), Row(2L, "two"), Row(3L, "three")], pair.Rows(pair.OldPath, "SELECT id, name FROM item ORDER BY id"));
        var status = pair.Migrator(SchemaFixture.Model(V2)).Status();
        Assert.AreEqual("reverted", status.Phase);
        StringAssert.StartsWith(status.Next, $"The last MigRevert hook failed {MigCode.HookFailed}");
    }

    [TestMethod]
    public void OnlyTheVerbsThatRunAHookTakeOne()
    {
        using var pair = MigrationPair.Create(V1);
        var hook = Hook.In(pair);
        foreach (var verb in new[] { "plan", "verify", "status" })
        {
            var r = hook.Mig(verb);
            Assert.AreEqual(2, r.ExitCode, verb);
            StringAssert.Contains(r.Stderr, $"'{verb}' has no option --hook");
        }
        var twice = hook.Run("migrate", "--hook", "true", "--hook", "true");
        Assert.AreEqual(2, twice.ExitCode);
        StringAssert.Contains(twice.Stderr, "--hook is given twice");
        Assert.IsEmpty(hook.Runs);
    }

    /// <summary>Every row of every table of a file, Mig's bookkeeping included.</summary>
    private static List<string> FileContent(MigrationPair pair, string path) =>
        [.. pair.Tables(path).SelectMany(t => ValueDump.Of(path, t, [.. pair.Rows(path, $"SELECT name FROM pragma_table_info('{t}') ORDER BY cid").Select(r => (string)r[0]!)]).Select(row => $"{t}: {row}"))];

    /// <summary>A hook script that records each run and can be told to fail at a phase, and a bundle folder to run mig from.</summary>
    private sealed class Hook
    {
        private readonly MigrationPair pair;
        private readonly string dir;
        private readonly string bundle;

        private Hook(MigrationPair pair)
        {
            this.pair = pair;
            dir = Directory.CreateDirectory(Path.Combine(pair.Directory, "hook")).FullName;
            bundle = Directory.CreateDirectory(Path.Combine(pair.Directory, "bundle")).FullName;
            File.WriteAllText(Path.Combine(bundle, MigCommandLine.ModelFileName), SchemaModelJson.Serialize(SchemaFixture.Model(V2)));
            File.WriteAllText(Path.Combine(bundle, MigCommandLine.SettingsFileName), """{"databaseName": "app"}""");
            var script = Path.Combine(dir, "hook.sh");
            File.WriteAllText(script, """
                set -u
                d=$(dirname "$0")
                printf '%s|%s|%s|%s|%s\n' "$MIG_PHASE" "$MIG_OLD_DATABASE" "$MIG_NEW_DATABASE" "$(pwd)" "$MIG_STATUS_FILE" >> "$d/runs"
                cp "$MIG_STATUS_FILE" "$d/status-$MIG_PHASE.json"
                echo "hook saw $MIG_PHASE"
                echo "on stderr $MIG_PHASE" >&2
                if [ -f "$d/fail-$MIG_PHASE" ]; then cat "$d/fail-$MIG_PHASE"; exit 3; fi
                """.Replace("\r\n", "\n", StringComparison.Ordinal));
            Command = $"sh '{script}'";
        }

        public string Command { get; }

        public static Hook In(MigrationPair pair) => new(pair);

        public List<(string Phase, string Old, string New, string WorkingDirectory, string StatusFile)> Runs
        {
            get
            {
                var runs = Path.Combine(dir, "runs");
                if (!File.Exists(runs)) return [];
                return [.. File.ReadAllLines(runs).Select(l => l.Split('|')).Select(p => (p[0], p[1], p[2], p[3], p[4]))];
            }
        }

        /// <summary>The phase and live file of the status JSON the hook was given at <paramref name="phase"/>.</summary>
        public (string? Phase, string? Live) Status(string phase)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, $"status-{phase}.json")));
            return (json.RootElement.GetProperty("phase").GetString(), json.RootElement.GetProperty("live").GetString());
        }

        /// <summary>The hook prints <paramref name="message"/> and exits 3 at <paramref name="phase"/>; null: it passes again.</summary>
        public void FailAt(string phase, string? message)
        {
            var file = Path.Combine(dir, "fail-" + phase);
            if (message is null) File.Delete(file);
            else File.WriteAllText(file, message + "\n");
        }

        /// <summary><c>mig verb --database old --new-database new --hook command extra...</c>.</summary>
        public (int ExitCode, string Output, string Stderr) Mig(string verb, params string[] extra) => Run([verb, "--hook", Command, .. extra]);

        public (int ExitCode, string Output, string Stderr) Run(params string[] args)
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var exit = MigCommandLine.Run([args[0], "--database", pair.OldPath, "--new-database", pair.NewPath, .. args[1..]], bundle, stdout, stderr);
            return (exit, stdout.ToString() + stderr, stderr.ToString());
        }
    }
}
