using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Mig.Benchmarks.Infrastructure;
using Mig.Benchmarks.Schema;

namespace Mig.Benchmarks;

/// <summary>
/// <c>CountByTeamAsync</c> (an index seek counting 100 rows) against a prepared command running the
/// same SQL, Dapper and EF Core, one count per read transaction, each operation the next team in turn.
/// </summary>
public class CountByBenchmarks : BenchBase
{
    private static readonly Func<BenchContext, long, long> CompiledCount =
        EF.CompileQuery((BenchContext c, long team) => c.People.LongCount(p => p.Team == team));

    private SqliteCommand count = null!;
    private int next;

    private protected override void Prepare() => count = Prepare(Ado, PersonQueries.CountByTeamSql, ("@p0", SqliteType.Integer)); // team

    private long NextTeam() => next = (next + 1) % BenchFile.Teams;

    /// <summary>The floor: a prepared command and ExecuteScalar.</summary>
    [Benchmark(Baseline = true)]
    public long AdoNet()
    {
        var team = NextTeam();
        AdoTxn.Begin(write: false);
        try
        {
            count.Parameters[0].Value = team;
            var n = (long)count.ExecuteScalar()!;
            AdoTxn.Commit();
            return n;
        }
        catch
        {
            AdoTxn.Rollback();
            throw;
        }
    }

    /// <summary>The generated CountByTeamAsync in a ReadAsync transaction.</summary>
    [Benchmark]
    public Task<long> Mig()
    {
        var team = NextTeam();
        return Db.ReadAsync(txn => Person.CountByTeamAsync(txn, team));
    }

    /// <summary>Dapper's ExecuteScalar with the same SQL.</summary>
    [Benchmark]
    public long Dapper()
    {
        var team = NextTeam();
        return InTransaction.Run(DapperTxn, write: false, () => DapperConnection.ExecuteScalar<long>(PersonQueries.CountByTeamSql, new { p0 = team }));
    }

    /// <summary>EF Core compiled query: LongCount with the predicate.</summary>
    [Benchmark]
    public long EfCoreCompiled()
    {
        var team = NextTeam();
        return InTransaction.Run(EfTxn, write: false, () => CompiledCount(Ef, team));
    }

    /// <summary>EF Core LINQ: LongCount with the predicate.</summary>
    [Benchmark]
    public long EfCoreLinq()
    {
        var team = NextTeam();
        return InTransaction.Run(EfTxn, write: false, () => Ef.People.LongCount(p => p.Team == team));
    }

    private protected override void Verify()
    {
        Check(AdoNet() == BenchFile.TeamSize, nameof(AdoNet));
        Check(Mig().GetAwaiter().GetResult() == BenchFile.TeamSize, nameof(Mig));
        Check(Dapper() == BenchFile.TeamSize, nameof(Dapper));
        Check(EfCoreCompiled() == BenchFile.TeamSize, nameof(EfCoreCompiled));
        Check(EfCoreLinq() == BenchFile.TeamSize, nameof(EfCoreLinq));
    }

    private protected override void DisposeCommands() => count.Dispose();
}
