using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Mig.Migration;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// MigArchiveOld never loses a committed row, even when a reader in another process holds an
/// old snapshot so that the -wal cannot be checkpointed; and a kill -9 inside it never leaves an
/// old file that is neither retired nor guarded (the old service would write where nobody reads).
/// </summary>
[TestClass]
public sealed class ArchiveTests
{
    [TestMethod]
    // Not cooperative on purpose: a test stuck in a blocked SQLite call or on a paused
    // tool cannot observe a token; this makes it fail after 5 minutes instead.
#pragma warning disable MSTEST0045
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void ArchiveToWhileAReaderHoldsASnapshotKeepsEveryRow()
    {
        using var pair = HotPair.Create();
        Insert(pair.OldPath, 1);
        using var reader = ShellReader.Start(pair.OldPath);
        Assert.AreEqual("1", reader.Query("BEGIN; SELECT count(*) FROM author;"), "the shell's snapshot sees the first row");

        var migrator = pair.Migrator();
        migrator.Migrate(offline: false, allowDataLoss: false);
        Insert(pair.OldPath, 498);
        migrator.Drain();
        migrator.Cutover();
        Assert.IsGreaterThan(0L, new FileInfo(pair.OldPath + "-wal").Length, "the writes are in the -wal");
        var archive = Directory.CreateDirectory(Path.Combine(pair.Directory, "archive")).FullName;

        pair.Migrator().ArchiveOld(archive);

        var archived = Path.Combine(archive, Path.GetFileName(pair.OldPath));
        Assert.AreEqual(499L, HotDb.Scalar(archived, "SELECT count(*) FROM author"), "every committed row is in the archive");
        Assert.AreEqual(Protocol.Retired, HotDb.Status(archived));
        Assert.AreEqual(0L, HotDb.Scalar(archived, "SELECT count(*) FROM sqlite_schema WHERE name LIKE '\\_mig\\_%' ESCAPE '\\' AND type = 'trigger'"),
            "no capture or guard in the archive");
        Assert.AreEqual("ok", Scalar(archived, "PRAGMA integrity_check"));
        Assert.AreEqual("1", reader.Query("SELECT count(*) FROM author;"), "the reader kept its snapshot to the end");
        reader.Query("COMMIT; SELECT 'done';");
        Assert.AreEqual(499L, HotDb.Scalar(pair.NewPath, "SELECT count(*) FROM author"));
    }

    [TestMethod]
#pragma warning disable MSTEST0045
    [Timeout(300_000)]
#pragma warning restore MSTEST0045
    public void AKillInsideArchiveNeverLeavesAnUnretiredFileWithoutGuards()
    {
        using var pair = HotPair.Create();
        var seeded = new HotData();
        pair.Seed(seeded, "a", 20, 2, new Random(31));
        var migrator = pair.Migrator();
        migrator.Migrate(offline: false, allowDataLoss: false);
        migrator.Drain();
        migrator.Cutover();
        using var db = new MigDatabase(pair.OldPath);
        using var service = new MigWriter("a", new Random(32), db);
        service.Own(seeded);

        using (var tool = HotTool.Start(pair.ToolArguments("archive-old"), FaultPoint.Archive))
        {
            tool.WaitForPause(FaultPoint.Archive);
            tool.Kill();
        }

        var retired = HotDb.Status(pair.OldPath) == Protocol.Retired;
        var guarded = HotDb.Marker(pair.OldPath) is not null;
        Assert.IsTrue(retired || guarded, "after the kill the old file is either retired or still guarded and captured");
        Assert.IsFalse(service.Step(1), "the old service does not write to a file nobody reads again");
        var status = pair.Migrator().Status();
        StringAssert.Contains(status.Next, "MigArchiveOld", string.Join("\n", status.Lines()));

        var again = HotTool.Run(pair.ToolArguments("archive-old"));
        Assert.AreEqual(0, again.ExitCode, HotTool.Show(again));
        Assert.AreEqual(Protocol.Retired, HotDb.Status(pair.OldPath));
        Assert.IsNull(HotDb.Marker(pair.OldPath));
        Assert.ThrowsExactly<MigDatabaseNotReadyException>(() => service.Step(1), "a retired file refuses every call of the old service");
        Assert.AreEqual("done", pair.Migrator().Status().Phase);
    }

    private static void Insert(string path, int rows)
    {
        using var c = HotDb.OpenReadWrite(path);
        using var txn = c.BeginTransaction();
        using var cmd = c.CreateCommand();
        cmd.Transaction = txn;
        cmd.CommandText = "INSERT INTO author(name, score) VALUES ('row ' || @i, @i)";
        var p = cmd.Parameters.Add("@i", SqliteType.Integer);
        for (var i = 0; i < rows; i++)
        {
            p.Value = i;
            cmd.ExecuteNonQuery();
        }
        txn.Commit();
    }

    private static string? Scalar(string path, string sql)
    {
        using var c = HotDb.OpenReadOnly(path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar()?.ToString();
    }
}

/// <summary>The sqlite3 shell in a process of its own, fed one line at a time: a report or a backup holding a snapshot.</summary>
internal sealed class ShellReader : IDisposable
{
    private readonly Process process;

    private ShellReader(Process process) => this.process = process;

    public static ShellReader Start(string path)
    {
        var info = new ProcessStartInfo("sqlite3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(path);
        var p = Process.Start(info) ?? throw new InvalidOperationException("sqlite3 did not start");
        return new ShellReader(p);
    }

    /// <summary>Runs statements and returns the last line they print (each call ends with one result line).</summary>
    public string Query(string sql)
    {
        process.StandardInput.WriteLine(sql);
        process.StandardInput.Flush();
        var line = process.StandardOutput.ReadLine();
        return line ?? throw new InvalidOperationException("sqlite3 ended: " + process.StandardError.ReadToEnd());
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
        process.Dispose();
    }
}
