using System.Diagnostics;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// A kill during an offline copy leaves <c>.&lt;new file&gt;.&lt;pid&gt;.tmp</c>. The next offline migration removes
/// what a process that is gone left, keeps what a running one is building, and does not trip over its own
/// process id's file (a container's app is process 1 again after a restart).
/// </summary>
[TestClass]
public sealed class LeftOverTempTests
{
    private const string V1 = """
        [PK(nameof(Id))]
        public sealed record Item(long Id, string Name);
        """;

    private const string V2 = """
        [PK(nameof(Id))]
        [Default(nameof(Rank), "0")]
        public sealed record Item(long Id, string Name, long Rank);
        """;

    private static string Temp(MigrationPair pair, int pid) => Path.Combine(pair.Directory, $".{Path.GetFileName(pair.NewPath)}.{pid}.tmp");

    private static void HalfBuilt(string path)
    {
        File.WriteAllText(path, "SQLite format 3\0 and then nothing a kill let it write");
        File.WriteAllText(path + "-journal", "a hot journal");
    }

    [TestMethod]
    public void AFileLeftUnderThisProcessIdIsRemovedNotOpened()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO item VALUES (1, 'a')");
        var mine = Temp(pair, Environment.ProcessId);
        HalfBuilt(mine);

        pair.Migrator(SchemaFixture.Model(V2)).Migrate(offline: true, allowDataLoss: false);

        Assert.AreEqual("1|a|0", pair.Scalar(pair.NewPath, "SELECT id || '|' || name || '|' || rank FROM item"));
        Assert.IsFalse(File.Exists(mine) || File.Exists(mine + "-journal"), "the half-built file and its journal are gone");
    }

    [TestMethod]
    public void AFileOfAProcessThatIsGoneIsRemovedAndOneOfARunningProcessIsKept()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO item VALUES (1, 'a')");
        using (var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            gone.WaitForExit();
            HalfBuilt(Temp(pair, gone.Id));
        }
        using var running = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            var busy = Temp(pair, running.Id);
            HalfBuilt(busy);
            var deadOnes = Directory.GetFiles(pair.Directory, "*.tmp").Where(f => f != busy).ToList();
            Assert.HasCount(1, deadOnes);

            pair.Migrator(SchemaFixture.Model(V2)).Migrate(offline: true, allowDataLoss: false);

            Assert.IsFalse(File.Exists(deadOnes[0]) || File.Exists(deadOnes[0] + "-journal"), "left by a process that is gone: removed");
            Assert.IsTrue(File.Exists(busy) && File.Exists(busy + "-journal"), "another running process's file is not touched");
            Assert.AreEqual(1L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM item"));
        }
        finally
        {
            running.Kill();
        }
    }
}
