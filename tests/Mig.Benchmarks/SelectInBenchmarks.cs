using System.Globalization;
using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Mig.Benchmarks.Infrastructure;
using Mig.Benchmarks.Schema;

namespace Mig.Benchmarks;

/// <summary>
/// <c>SelectByIdInAsync</c> with a list of 100 ids spread over the table, one list per read
/// transaction, against a prepared command running the same SQL with the JSON array written the
/// way one writes it by hand (<c>"[" + string.Join(",", ids) + "]"</c>), Dapper's own list
/// expansion (<c>IN @ids</c>: one parameter per id, the SQL text varies with the count), and EF Core's
/// <c>Contains</c> (a JSON parameter with <c>json_each</c> on SQLite, as Mig).
/// </summary>
public class SelectInBenchmarks : BenchBase
{
    private const int Count = 100;
    private const string DapperSql = "SELECT id, name, email, team, score, note FROM person WHERE id IN @ids";
    private static readonly Func<BenchContext, long[], IEnumerable<Person>> CompiledIn =
        EF.CompileQuery((BenchContext c, long[] ids) => c.People.AsNoTracking().Where(p => ids.Contains(p.Id)));

    private readonly long[][] lists = [.. Enumerable.Range(0, 50).Select(l => Enumerable.Range(0, Count).Select(i => (long)(1 + ((l + (i * 97)) % BenchFile.People))).ToArray())];
    private SqliteCommand select = null!;
    private int next;

    private protected override void Prepare() => select = Prepare(Ado, PersonQueries.SelectByIdInSql, ("@p0", SqliteType.Text)); // id

    private long[] NextList() => lists[next = (next + 1) % lists.Length];

    /// <summary>The floor: the JSON by string.Join, a prepared command, records built by ordinal.</summary>
    [Benchmark(Baseline = true)]
    public IReadOnlyList<Person> AdoNet()
    {
        var ids = NextList();
        AdoTxn.Begin(write: false);
        try
        {
            select.Parameters[0].Value = "[" + string.Join(",", ids.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]";
            var list = PersonReader.ReadAll(select);
            AdoTxn.Commit();
            return list;
        }
        catch
        {
            AdoTxn.Rollback();
            throw;
        }
    }

    /// <summary>The generated SelectByIdInAsync in a ReadAsync transaction.</summary>
    [Benchmark]
    public Task<IReadOnlyList<Person>> Mig()
    {
        var ids = NextList();
        return Db.ReadAsync(txn => Person.SelectByIdInAsync(txn, ids));
    }

    /// <summary>Dapper's list expansion, buffered.</summary>
    [Benchmark]
    public IReadOnlyList<Person> Dapper()
    {
        var ids = NextList();
        return InTransaction.Run(DapperTxn, write: false, () => DapperConnection.Query<Person>(DapperSql, new { ids }).AsList());
    }

    /// <summary>EF Core compiled query with Contains, AsNoTracking, ToList.</summary>
    [Benchmark]
    public IReadOnlyList<Person> EfCoreCompiled()
    {
        var ids = NextList();
        return InTransaction.Run(EfTxn, write: false, () => CompiledIn(Ef, ids).ToList());
    }

    /// <summary>EF Core LINQ with Contains, AsNoTracking, ToList.</summary>
    [Benchmark]
    public IReadOnlyList<Person> EfCoreLinq()
    {
        var ids = NextList();
        return InTransaction.Run(EfTxn, write: false, () => Ef.People.AsNoTracking().Where(p => ids.Contains(p.Id)).ToList());
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
            Check(rows.Select(p => p.Id).Order().SequenceEqual(lists[1].Order()), $"{name}: the people of the list");
        }
        next = 0;
    }

    private protected override void DisposeCommands() => select.Dispose();
}
