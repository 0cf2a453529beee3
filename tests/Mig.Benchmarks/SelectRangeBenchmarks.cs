using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Mig.Benchmarks.Infrastructure;
using Mig.Benchmarks.Schema;

namespace Mig.Benchmarks;

/// <summary>
/// <c>SelectTeamBetweenAsync</c> over two teams (200 people, through the team index), one range per
/// read transaction, against a prepared command running the same SQL, Dapper with that SQL and EF Core.
/// </summary>
public class SelectRangeBenchmarks : BenchBase
{
    private static readonly Func<BenchContext, long, long, IEnumerable<Person>> CompiledRange =
        EF.CompileQuery((BenchContext c, long from, long to) => c.People.AsNoTracking().Where(p => p.Team >= from && p.Team <= to));

    private SqliteCommand range = null!;
    private int next;

    private protected override void Prepare() =>
        range = Prepare(Ado, PersonQueries.SelectTeamBetweenSql, ("@p0", SqliteType.Integer), ("@p1", SqliteType.Integer)); // team, team

    private long NextTeam() => next = (next + 1) % (BenchFile.Teams - 1);

    /// <summary>The floor: a prepared command, records built by ordinal into a List.</summary>
    [Benchmark(Baseline = true)]
    public IReadOnlyList<Person> AdoNet()
    {
        var team = NextTeam();
        AdoTxn.Begin(write: false);
        try
        {
            range.Parameters[0].Value = team;
            range.Parameters[1].Value = team + 1;
            var list = PersonReader.ReadAll(range);
            AdoTxn.Commit();
            return list;
        }
        catch
        {
            AdoTxn.Rollback();
            throw;
        }
    }

    /// <summary>The generated SelectTeamBetweenAsync in a ReadAsync transaction.</summary>
    [Benchmark]
    public Task<IReadOnlyList<Person>> Mig()
    {
        var team = NextTeam();
        return Db.ReadAsync(txn => Person.SelectTeamBetweenAsync(txn, team, team + 1));
    }

    /// <summary>Dapper's buffered Query with the same SQL.</summary>
    [Benchmark]
    public IReadOnlyList<Person> Dapper()
    {
        var team = NextTeam();
        return InTransaction.Run(DapperTxn, write: false, () => DapperConnection.Query<Person>(PersonQueries.SelectTeamBetweenSql, new { p0 = team, p1 = team + 1 }).AsList());
    }

    /// <summary>EF Core compiled query, AsNoTracking, ToList.</summary>
    [Benchmark]
    public IReadOnlyList<Person> EfCoreCompiled()
    {
        var team = NextTeam();
        return InTransaction.Run(EfTxn, write: false, () => CompiledRange(Ef, team, team + 1).ToList());
    }

    /// <summary>EF Core LINQ, AsNoTracking, ToList.</summary>
    [Benchmark]
    public IReadOnlyList<Person> EfCoreLinq()
    {
        var team = NextTeam();
        return InTransaction.Run(EfTxn, write: false, () => Ef.People.AsNoTracking().Where(p => p.Team >= team && p.Team <= team + 1).ToList());
    }

    private protected override void Verify()
    {
        foreach (var (name, run) in new (string, Func<IReadOnlyList<Person>>)[]
        {
            (nameof(AdoNet), AdoNet), (nameof(Mig), () => Mig().GetAwaiter().GetResult()),
            (nameof(Dapper), Dapper), (nameof(EfCoreCompiled), EfCoreCompiled), (nameof(EfCoreLinq), EfCoreLinq),
        })
        {
            next = 0;
            var rows = run();
            Check(rows.Count == 2 * BenchFile.TeamSize && rows.All(p => p.Team is 1 or 2), $"{name}: teams 1 and 2");
        }
        next = 0;
    }

    private protected override void DisposeCommands() => range.Dispose();
}
