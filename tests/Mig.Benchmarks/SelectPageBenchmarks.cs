using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Mig.Benchmarks.Infrastructure;
using Mig.Benchmarks.Schema;

namespace Mig.Benchmarks;

/// <summary>
/// Keyset pages of 100 people (<c>SelectPageByIdAsync</c>, the after-a-key statement), one page per
/// read transaction, each operation the next page in turn, against a prepared command running the same
/// SQL, Dapper with that SQL, and EF Core (Where key &gt; after, OrderBy key, Take).
/// </summary>
public class SelectPageBenchmarks : BenchBase
{
    private const int Limit = 100;
    private static readonly Func<BenchContext, long, int, IEnumerable<Person>> CompiledPage =
        EF.CompileQuery((BenchContext c, long after, int limit) => c.People.AsNoTracking().Where(p => p.Id > after).OrderBy(p => p.Id).Take(limit));

    private SqliteCommand page = null!;
    private long after;

    private protected override void Prepare() =>
        page = Prepare(Ado, PersonQueries.SelectPageByIdSql, ("@p0", SqliteType.Integer), ("@p1", SqliteType.Integer)); // id, LIMIT

    private long NextAfter()
    {
        var a = after;
        after = (after + Limit) % (BenchFile.People - Limit);
        return a;
    }

    /// <summary>The floor: a prepared command, records built by ordinal into a List.</summary>
    [Benchmark(Baseline = true)]
    public IReadOnlyList<Person> AdoNet()
    {
        var a = NextAfter();
        AdoTxn.Begin(write: false);
        try
        {
            page.Parameters[0].Value = a;
            page.Parameters[1].Value = (long)Limit;
            var list = PersonReader.ReadAll(page);
            AdoTxn.Commit();
            return list;
        }
        catch
        {
            AdoTxn.Rollback();
            throw;
        }
    }

    /// <summary>The generated SelectPageByIdAsync in a ReadAsync transaction.</summary>
    [Benchmark]
    public Task<IReadOnlyList<Person>> Mig()
    {
        long? a = NextAfter();
        return Db.ReadAsync(txn => Person.SelectPageByIdAsync(txn, a, Limit));
    }

    /// <summary>Dapper's buffered Query with the same SQL.</summary>
    [Benchmark]
    public IReadOnlyList<Person> Dapper()
    {
        var a = NextAfter();
        return InTransaction.Run(DapperTxn, write: false, () => DapperConnection.Query<Person>(PersonQueries.SelectPageByIdSql, new { p0 = a, p1 = (long)Limit }).AsList());
    }

    /// <summary>EF Core compiled query, AsNoTracking, ToList.</summary>
    [Benchmark]
    public IReadOnlyList<Person> EfCoreCompiled()
    {
        var a = NextAfter();
        return InTransaction.Run(EfTxn, write: false, () => CompiledPage(Ef, a, Limit).ToList());
    }

    /// <summary>EF Core LINQ, AsNoTracking, ToList.</summary>
    [Benchmark]
    public IReadOnlyList<Person> EfCoreLinq()
    {
        var a = NextAfter();
        return InTransaction.Run(EfTxn, write: false, () => Ef.People.AsNoTracking().Where(p => p.Id > a).OrderBy(p => p.Id).Take(Limit).ToList());
    }

    private protected override void Verify()
    {
        foreach (var (name, run) in new (string, Func<IReadOnlyList<Person>>)[]
        {
            (nameof(AdoNet), AdoNet), (nameof(Mig), () => Mig().GetAwaiter().GetResult()),
            (nameof(Dapper), Dapper), (nameof(EfCoreCompiled), EfCoreCompiled), (nameof(EfCoreLinq), EfCoreLinq),
        })
        {
            after = 0;
            var rows = run();
            Check(rows.SequenceEqual(Enumerable.Range(0, Limit).Select(BenchFile.NewPerson)), $"{name}: the first page after key 0");
        }
        after = 0;
    }

    private protected override void DisposeCommands() => page.Dispose();
}
