using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// A reused MSBuild node keeps the task assemblies it loaded. This machine turns
/// node reuse off (MSBUILDDISABLENODEREUSE=1), which would hide a stale schema,
/// so this test turns it on, and builds out of process (MSBUILDNOINPROCNODE=1)
/// so that the project really is built by a node that outlives the build.
/// </summary>
[TestClass]
[TestCategory("Build")]
public sealed class NodeReuseTests
{
    /// <summary>The schema after <paramref name="round"/> edits: one more column each time.</summary>
    private static string Schema(int round) => $$"""
        using Mig;

        namespace SchoolApp.Schema;

        [AutoIncPK(nameof(Id))]
        public sealed record Student(long Id, string Name{{string.Concat(Enumerable.Range(1, round).Select(i => $", long Extra{i}"))}});
        """;

    [TestMethod]
    [DoNotParallelize]
    public void AReusedNodeSeesTheEditedSchema()
    {
        // A marker of this test's own, so only its nodes are counted and ended.
        var marker = $"{TestRun.Marker}-node-reuse";
        var options = new DotNetOptions
        {
            NodeReuse = true,
            Environment = new Dictionary<string, string?> { ["MSBUILDNOINPROCNODE"] = "1", [TestRun.MarkerVariable] = marker },
        };
        using var consumer = Consumer.Create(files: ("Schema/School.cs", Schema(0)));
        try
        {
            var previous = consumer.Build(options, "-t:MigScript", "-getTargetResult:MigScript").SingleItem("MigScript")["SchemaHash"];
            var nodes = MarkedProcesses.Find(marker);
            if (MarkedProcesses.Supported)
                Assert.IsNotEmpty(nodes, "With node reuse on, the build should leave its MSBuild node running.");

            // Edit and build again. A build that starts no new node ran in a node an
            // earlier build left. MSBuild may start a fresh node when the idle one is not
            // ready to take a connection yet, so give it up to three edits to reuse one;
            // every build must see its edit.
            var reused = false;
            var seen = new List<string>();
            for (var round = 1; round <= 3 && !reused; round++)
            {
                consumer.Write("Schema/School.cs", Schema(round));
                var item = consumer.Build(options, "-t:MigScript", "-getTargetResult:MigScript").SingleItem("MigScript");

                Assert.AreNotEqual(previous, item["SchemaHash"], $"Edit {round} should change the schema hash.");
                Assert.Contains($"  extra{round} INTEGER NOT NULL\n);", File.ReadAllText(item.Identity), $"Edit {round} should be in the SQL.");
                Assert.AreEqual(item["SchemaHash"], File.ReadAllText(consumer.MigIntermediateDir + "schema.hash").Trim());
                previous = item["SchemaHash"];

                var after = MarkedProcesses.Find(marker);
                seen.Add($"before edit {round}: [{string.Join("; ", nodes.Select(MarkedProcesses.Describe))}], after: [{string.Join("; ", after.Select(MarkedProcesses.Describe))}]");
                reused = !MarkedProcesses.Supported || (after.Count > 0 && after.IsSubsetOf(nodes));
                nodes = after;
            }
            Assert.IsTrue(reused, "No build after an edit ran in a reused MSBuild node, so the test proved nothing:\n" + string.Join("\n", seen));
        }
        finally
        {
            if (MarkedProcesses.Supported) MarkedProcesses.EndAll(marker);
            else DotNet.Run(consumer.Directory, ["build-server", "shutdown", "--msbuild"], options);
        }
    }
}
