using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Mig.Benchmarks.Infrastructure;

namespace Mig.Benchmarks;

/// <summary>
/// The cost of a transaction with nothing in it, read (BEGIN) and write
/// (BEGIN IMMEDIATE; an empty write commits without touching the WAL, so no
/// sync): Mig's ReadAsync/WriteAsync (pool rent and return, the marker check,
/// the MigTransaction, the callback) against the bare prepared BEGIN/COMMIT, the
/// same plus the <c>PRAGMA data_version</c> statement the marker check runs, and
/// ADO.NET's own SqliteConnection.BeginTransaction.
/// </summary>
public class TransactionBenchmarks : BenchBase
{
    private SqliteCommand dataVersion = null!;

    [Params(false, true)]
    public bool Write { get; set; }

    private protected override void Prepare() => dataVersion = Prepare(Ado, "PRAGMA data_version");

    /// <summary>The floor: prepared BEGIN [IMMEDIATE] and COMMIT.</summary>
    [Benchmark(Baseline = true)]
    public void AdoNet()
    {
        AdoTxn.Begin(Write);
        AdoTxn.Commit();
    }

    /// <summary>The floor plus the one statement of Mig's marker check.</summary>
    [Benchmark]
    public long AdoNetDataVersion()
    {
        AdoTxn.Begin(Write);
        var v = (long)dataVersion.ExecuteScalar()!;
        AdoTxn.Commit();
        return v;
    }

    /// <summary>
    /// The same statement twice: the first one of a transaction takes SQLite's
    /// WAL read lock (a deferred BEGIN alone does not), so the difference to
    /// <see cref="AdoNetDataVersion"/> is what the marker check adds to a
    /// transaction that runs any statement anyway.
    /// </summary>
    [Benchmark]
    public long AdoNetDataVersionTwice()
    {
        AdoTxn.Begin(Write);
        var v = (long)dataVersion.ExecuteScalar()!;
        v += (long)dataVersion.ExecuteScalar()!;
        AdoTxn.Commit();
        return v;
    }

    /// <summary>ADO.NET's transaction object (what Dapper and EF Core code usually uses).</summary>
    [Benchmark]
    public void AdoNetBeginTransaction()
    {
        using var t = Ado.BeginTransaction(deferred: !Write);
        t.Commit();
    }

    /// <summary>Mig's ReadAsync/WriteAsync with an empty callback returning a value.</summary>
    [Benchmark]
    public Task<int> Mig() => Write
        ? Db.WriteAsync(static _ => Task.FromResult(0))
        : Db.ReadAsync(static _ => Task.FromResult(0));

    /// <summary>The overloads for a callback returning a plain Task (they wrap it in one more async lambda).</summary>
    [Benchmark]
    public Task MigNoResult() => Write
        ? Db.WriteAsync(static _ => Task.CompletedTask)
        : Db.ReadAsync(static _ => Task.CompletedTask);

    private protected override void Verify()
    {
        AdoNet();
        AdoNetDataVersion();
        AdoNetDataVersionTwice();
        AdoNetBeginTransaction();
        Mig().GetAwaiter().GetResult();
        MigNoResult().GetAwaiter().GetResult();
        using var cmd = Ado.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM person";
        Check((long)cmd.ExecuteScalar()! == BenchFile.People, "the file is intact");
    }

    private protected override void DisposeCommands() => dataVersion.Dispose();
}
