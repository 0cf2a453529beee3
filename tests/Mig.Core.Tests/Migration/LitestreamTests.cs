using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// A hot migration of a file Litestream replicates (issue 12), with the real Litestream 0.3.13 and the
/// real tool behind the targets: Litestream replicates the old file, and the new file from before
/// MigMigrate (its path taken from MigPlan, as an operator takes it), each to a <c>file://</c> replica,
/// while a writer keeps writing to the old file until the drain pauses it. A hook waits for the new
/// file's replica to be complete before the cutover marks it ready, and again after.
/// </summary>
[TestClass]
public sealed class LitestreamTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [TestMethod]
    public void AHotMigrationUnderLitestreamIsReplicatedAndTheNewReplicaGatesTheCutover()
    {
        var binary = Litestream.Binary;
        using var pair = HotPair.Create();
        var seeded = new HotData();
        pair.Seed(seeded, "seed", 60, 4, new Random(12));
        var config = Path.Combine(pair.Directory, "litestream.yml");
        var hooks = Directory.CreateDirectory(Path.Combine(pair.Directory, "hooks")).FullName;
        var oldReplica = Path.Combine(pair.Directory, "replica-old");
        var newReplica = Path.Combine(pair.Directory, "replica-new");

        // Litestream replicates the live file before anyone thinks of migrating: its tables are in it.
        File.WriteAllText(config, Config((pair.OldPath, oldReplica)));
        var litestream = Litestream.Replicate(config);
        try
        {
            litestream.WaitFor(l => l.Contains("snapshot written", StringComparison.Ordinal) && l.Contains(pair.OldPath, StringComparison.Ordinal), "the old file's first snapshot", Patience);
            Assert.AreEqual(1L, HotDb.Scalar(pair.OldPath, "SELECT count(*) FROM sqlite_schema WHERE name = '_litestream_seq'"), "Litestream made its tables in the old file");

            // The plan names the new file, and plans no table of Litestream's.
            var planFile = Path.Combine(pair.Directory, "plan.json");
            var plan = Tool([.. pair.ToolArguments("plan"), "--plan-file", planFile]);
            var newLine = plan.Split('\n').Single(l => l.StartsWith("  new file: ", StringComparison.Ordinal));
            var planned = newLine["  new file: ".Length..newLine.IndexOf(" (", StringComparison.Ordinal)];
            Assert.AreEqual(pair.NewPath, planned, plan);
            Assert.IsTrue(plan.Split('\n').Where(l => l.Contains("_litestream", StringComparison.Ordinal)).All(l => l.Contains(": ignored", StringComparison.Ordinal)), plan);
            Assert.DoesNotContain("DATA LOSS", plan);
            using (var json = JsonDocument.Parse(File.ReadAllText(planFile)))
            {
                var root = json.RootElement;
                Assert.AreEqual(pair.NewPath, root.GetProperty("newDatabase").GetString());
                Assert.IsEmpty(root.GetProperty("droppedTables").EnumerateArray().ToList());
                Assert.IsEmpty(root.GetProperty("losses").EnumerateArray().ToList());
                Assert.IsFalse(root.GetProperty("tables").EnumerateArray().Any(t => t.GetProperty("source").ToString().StartsWith("_litestream", StringComparison.Ordinal)));
            }

            // A live writer, for the rest of the migration.
            using var writer = new RawWriter("w", new Random(7), pair.OldPath);
            writer.Own(seeded);
            var writing = Task.Run(() =>
            {
                while (writer.Step(3)) Thread.Sleep(3);
            });

            // Litestream 0.3 reads its configuration at start: list the new path ahead, restart it.
            File.WriteAllText(config, Config((pair.OldPath, oldReplica), (pair.NewPath, newReplica)));
            litestream.Dispose();
            litestream = Litestream.Replicate(config);
            var hook = WriteHook(hooks, binary, config);

            Tool([.. pair.ToolArguments("migrate"), .. Hook(hook)]);
            litestream.WaitFor(l => l.Contains("snapshot written", StringComparison.Ordinal) && l.Contains(pair.NewPath, StringComparison.Ordinal), "the new file's first snapshot", Patience);
            var commitsBefore = writer.Commits;
            WaitUntil(() => writer.Commits > commitsBefore + 20 || writing.IsCompleted, "the writer goes on writing while recording");

            var drainStarts = litestream.Lines.Count;
            Tool([.. pair.ToolArguments("drain"), .. Hook(hook)]);
            Assert.IsTrue(writing.Wait(Patience), "the writer is refused after the drain");
            writing.GetAwaiter().GetResult();
            Assert.IsTrue(writer.Refused);

            // The gate: with Litestream held, the new file's replica lacks what the cutover's verification wrote,
            // and the verified hook keeps the cutover from marking anything until Litestream goes on.
            litestream.Pause();
            using var cutoverRun = HotTool.Start([.. pair.ToolArguments("cutover"), .. Hook(hook)]);
            var phases = Path.Combine(hooks, "phases");
            WaitUntil(() => File.Exists(phases) && File.ReadAllText(phases).Contains("verified", StringComparison.Ordinal), "the verified hook runs");
            Thread.Sleep(1000);
            Assert.AreEqual(Protocol.Migrating, HotDb.Status(pair.NewPath), "nothing is marked ready while the replica is behind");
            Assert.AreEqual(Protocol.Draining, HotDb.Marker(pair.OldPath));
            litestream.Resume();
            var (exitCode, cutover) = cutoverRun.WaitForExit();
            Assert.AreEqual(0, exitCode, cutover);
            var gate = cutover.Split('\n').Single(l => l.StartsWith($"Mig: hook verified: replica of {pair.NewPath} complete after ", StringComparison.Ordinal));
            Assert.IsGreaterThan(1, int.Parse(gate.Split(' ')[^2], CultureInfo.InvariantCulture), "the hook waited for the replica: " + gate);
            pair.AssertNewIsOldTransformed(writer.Mine, "after cutover");
            Assert.AreEqual("recording\ndrained\nverified\nready\n", File.ReadAllText(phases));
            using (var gated = JsonDocument.Parse(File.ReadAllText(Path.Combine(hooks, "status-verified.json"))))
            {
                Assert.AreEqual("drained", gated.RootElement.GetProperty("phase").GetString(), "the gate runs before anything is marked");
                Assert.AreEqual("migrating", gated.RootElement.GetProperty("newStatus").GetString());
                Assert.AreEqual(pair.OldPath, gated.RootElement.GetProperty("live").GetString());
            }
            using (var ready = JsonDocument.Parse(File.ReadAllText(Path.Combine(hooks, "status-ready.json"))))
                Assert.AreEqual(pair.NewPath, ready.RootElement.GetProperty("live").GetString());

            // Litestream synced and checkpointed the old file while its writes were paused: no error since the drain.
            // A checkpoint starts a new WAL index, which Litestream follows with a write to its own table (guarded before issue 12).
            var indexAtDrain = litestream.Lines.Take(drainStarts).Select(l => WalIndex(l, pair.OldPath)).Max();
            litestream.WaitFor(l => WalIndex(l, pair.OldPath) > indexAtDrain, "a checkpoint of the old file after the drain", Patience);
            var errors = litestream.Lines.Skip(drainStarts).Where(l => l.Contains("level=ERROR", StringComparison.Ordinal) || l.Contains("error", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.IsEmpty(errors, "Litestream errors after the drain started:\n" + string.Join("\n", errors) + "\nwhole log:\n" + string.Join("\n", litestream.Lines));

            // The old file's replica holds every write committed before the drain (the writer's ledger).
            var restoredOld = Path.Combine(pair.Directory, "restored-old.db");
            WaitUntil(() =>
            {
                foreach (var f in new[] { restoredOld, restoredOld + ".tmp" }) File.Delete(f);
                Litestream.Restore(config, pair.OldPath, restoredOld);
                return Rows(restoredOld) is var (a, b) && a.SequenceEqual(writer.Mine.AuthorRows()) && b.SequenceEqual(writer.Mine.BookRows());
            }, "the old file's replica holds every committed write");
            Assert.AreEqual(Protocol.Draining, HotDb.Marker(restoredOld), "restored as it was left: writes paused, cut over");
        }
        finally
        {
            litestream.Dispose();
        }

        // The new file's replica is the new file: every table, every row, and it is ready.
        var restoredNew = Path.Combine(pair.Directory, "restored-new.db");
        Litestream.Restore(config, pair.NewPath, restoredNew);
        AssertSameContent(pair.NewPath, restoredNew);
        Assert.AreEqual(Protocol.Ready, HotDb.Status(restoredNew));
    }

    /// <summary>The WAL index of a "wal segment written" line of <paramref name="database"/> (position=generation/index:offset), or -1.</summary>
    private static long WalIndex(string line, string database)
    {
        if (!line.Contains("wal segment written", StringComparison.Ordinal) || !line.Contains($"db={database} ", StringComparison.Ordinal)) return -1;
        var position = line[(line.IndexOf("position=", StringComparison.Ordinal) + "position=".Length)..].Split(' ')[0];
        return long.Parse(position.Split('/')[1].Split(':')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    private static (List<string> Authors, List<string> Books) Rows(string path)
    {
        using var c = HotDb.OpenReadOnly(path);
        return (HotDb.Rows(c, "author", "id", "name", "score"), HotDb.Rows(c, "book", "id", "author_id", "title", "pages", "cover"));
    }

    private static string[] Hook(string script) => ["--hook-base64", Convert.ToBase64String(Encoding.UTF8.GetBytes($"sh '{script}'"))];

    private static string Tool(string[] arguments)
    {
        var run = HotTool.Run(arguments);
        Assert.AreEqual(0, run.ExitCode, HotTool.Show(run));
        return run.Output;
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting until {what}");
            Thread.Sleep(20);
        }
    }

    /// <summary>A Litestream 0.3 configuration: each file to a <c>file://</c> replica, synced and checkpointed often (the test is short).</summary>
    private static string Config(params (string Database, string Replica)[] dbs)
    {
        var sb = new StringBuilder("dbs:\n");
        foreach (var (db, replica) in dbs)
            sb.Append(CultureInfo.InvariantCulture, $"""
                  - path: {db}
                    monitor-interval: 100ms
                    checkpoint-interval: 1s
                    min-checkpoint-page-count: 8
                    replicas:
                      - url: file://{replica}
                        sync-interval: 100ms

                """);
        return sb.ToString();
    }

    /// <summary>
    /// The operator's hook: records each phase and its status JSON; at 'verified' and 'ready' it is the gate of
    /// docs/runbook.md ("The readiness gate"): it waits until <c>litestream restore</c> of the new file's replica
    /// has the new file's last audit row (Mig's last write before the hook), and vetoes when it does not in 15 s.
    /// </summary>
    private static string WriteHook(string dir, string litestream, string config)
    {
        var script = Path.Combine(dir, "hook.sh");
        File.WriteAllText(script, $$"""
            set -u
            dir='{{dir}}'
            echo "$MIG_PHASE" >> "$dir/phases"
            cp "$MIG_STATUS_FILE" "$dir/status-$MIG_PHASE.json"
            case "$MIG_PHASE" in verified|ready) ;; *) exit 0 ;; esac
            want=$(sqlite3 "$MIG_NEW_DATABASE" "SELECT max(id) FROM _mig_audit")
            tries=0
            while [ $tries -lt 75 ]; do
              tries=$((tries + 1))
              rm -f "$dir/replica.db" "$dir/replica.db.tmp"
              if '{{litestream}}' restore -config '{{config}}' -o "$dir/replica.db" "$MIG_NEW_DATABASE" >/dev/null 2>&1 &&
                 [ "$(sqlite3 "$dir/replica.db" "SELECT max(id) FROM _mig_audit")" = "$want" ]; then
                echo "replica of $MIG_NEW_DATABASE complete after $tries tries"
                exit 0
              fi
              sleep 0.2
            done
            echo "replica of $MIG_NEW_DATABASE still incomplete after $tries tries"
            exit 1
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        return script;
    }

    /// <summary>Every table of <paramref name="expected"/> (Litestream's own aside) has the same rows, value for value, in <paramref name="actual"/>.</summary>
    private static void AssertSameContent(string expected, string actual)
    {
        var tables = Tables(expected);
        CollectionAssert.AreEqual(tables, Tables(actual), "the same tables");
        foreach (var t in tables)
        {
            var columns = Columns(expected, t);
            HotAssert.SameRows(ValueDump.Of(expected, t, columns), ValueDump.Of(actual, t, columns), $"table {t}");
        }
    }

    private static List<string> Tables(string path)
    {
        using var c = HotDb.OpenReadOnly(path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE '\\_litestream%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' ORDER BY name";
        using var r = cmd.ExecuteReader();
        var names = new List<string>();
        while (r.Read()) names.Add(r.GetString(0));
        return names;
    }

    private static List<string> Columns(string path, string table)
    {
        using var c = HotDb.OpenReadOnly(path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name FROM pragma_table_info(@t) ORDER BY cid";
        cmd.Parameters.AddWithValue("@t", table);
        using var r = cmd.ExecuteReader();
        var names = new List<string>();
        while (r.Read()) names.Add(r.GetString(0));
        return names;
    }
}
