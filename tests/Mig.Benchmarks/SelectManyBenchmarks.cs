using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Mig.Benchmarks.Infrastructure;
using Mig.Benchmarks.Schema;

namespace Mig.Benchmarks;

/// <summary>
/// A select by an indexed column returning 100 rows (<c>person.team</c>), as a
/// list of <see cref="Person"/>, one query per read transaction. Each operation
/// takes the next team in turn.
/// </summary>
public class SelectManyBenchmarks : BenchBase
{
    private static readonly Func<BenchContext, long, IEnumerable<Person>> CompiledByTeam =
        EF.CompileQuery((BenchContext c, long team) => c.People.AsNoTracking().Where(p => p.Team == team));

    private SqliteCommand select = null!;
    private int next;

    private protected override void Prepare() =>
        select = Prepare(Ado, PersonQueries.SelectByTeamSql, ("@p0", SqliteType.Integer)); // team

    private long NextTeam()
    {
        var team = next;
        next = (next + 1) % BenchFile.Teams;
        return team;
    }

    /// <summary>The floor: a prepared command, records built by ordinal into a List.</summary>
    [Benchmark(Baseline = true)]
    public IReadOnlyList<Person> AdoNet()
    {
        var team = NextTeam();
        AdoTxn.Begin(write: false);
        try
        {
            select.Parameters[0].Value = team;
            var list = new List<Person>();
            using (var r = select.ExecuteReader())
            {
                while (r.Read())
                    list.Add(new Person(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetDouble(4), r.IsDBNull(5) ? null : r.GetString(5)));
            }
            AdoTxn.Commit();
            return list;
        }
        catch
        {
            AdoTxn.Rollback();
            throw;
        }
    }

    /// <summary>The generated SelectByTeamAsync in a ReadAsync transaction.</summary>
    [Benchmark]
    public Task<IReadOnlyList<Person>> Mig()
    {
        var team = NextTeam();
        return Db.ReadAsync(txn => Person.SelectByTeamAsync(txn, team));
    }

    /// <summary>Dapper's buffered Query (a List) with the same SQL.</summary>
    [Benchmark]
    public IReadOnlyList<Person> Dapper()
    {
        var team = NextTeam();
        DapperTxn.Begin(write: false);
        try
        {
            var list = DapperConnection.Query<Person>(PersonQueries.SelectByTeamSql, new { p0 = team }).AsList();
            DapperTxn.Commit();
            return list;
        }
        catch
        {
            DapperTxn.Rollback();
            throw;
        }
    }

    /// <summary>EF Core compiled query, AsNoTracking, ToList.</summary>
    [Benchmark]
    public IReadOnlyList<Person> EfCoreCompiled()
    {
        var team = NextTeam();
        EfTxn.Begin(write: false);
        try
        {
            var list = CompiledByTeam(Ef, team).ToList();
            EfTxn.Commit();
            return list;
        }
        catch
        {
            EfTxn.Rollback();
            throw;
        }
    }

    /// <summary>EF Core LINQ, AsNoTracking, ToList.</summary>
    [Benchmark]
    public IReadOnlyList<Person> EfCoreLinq()
    {
        var team = NextTeam();
        EfTxn.Begin(write: false);
        try
        {
            var list = Ef.People.AsNoTracking().Where(p => p.Team == team).ToList();
            EfTxn.Commit();
            return list;
        }
        catch
        {
            EfTxn.Rollback();
            throw;
        }
    }

    private protected override void Verify()
    {
        Check(AdoNet, nameof(AdoNet));
        Check(() => Mig().GetAwaiter().GetResult(), nameof(Mig));
        Check(Dapper, nameof(Dapper));
        Check(EfCoreCompiled, nameof(EfCoreCompiled));
        Check(EfCoreLinq, nameof(EfCoreLinq));
        next = 0;
    }

    private void Check(Func<IReadOnlyList<Person>> contender, string name)
    {
        var team = next;
        var expected = Enumerable.Range(0, BenchFile.People).Select(BenchFile.NewPerson).Where(p => p.Team == team).ToList();
        var got = contender();
        Check(got.Count == BenchFile.TeamSize, $"{name}: {got.Count} rows");
        Check(got.OrderBy(p => p.Id).SequenceEqual(expected), $"{name}: rows differ");
    }

    private protected override void DisposeCommands() => select.Dispose();
}
