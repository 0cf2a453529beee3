using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Mig.Benchmarks.Infrastructure;
using Mig.Benchmarks.Schema;

namespace Mig.Benchmarks;

/// <summary>
/// Point selects by a unique text column (<c>person.email</c>, 10,000 rows),
/// materializing a <see cref="Person"/>: one query per read transaction, and 1000
/// queries in one read transaction. Each operation takes the next emails in
/// turn; every contender returns the last person it read.
/// </summary>
public class SelectOneBenchmarks : BenchBase
{
    private static readonly Func<BenchContext, string, Person?> CompiledByEmail =
        EF.CompileQuery((BenchContext c, string email) => c.People.AsNoTracking().FirstOrDefault(p => p.Email == email));

    private readonly string[] emails = Enumerable.Range(0, BenchFile.People).Select(i => BenchFile.NewPerson(i).Email).ToArray();
    private SqliteCommand select = null!;
    private int next;

    [Params(1, 1000)]
    public int QueriesPerTransaction { get; set; }

    private protected override void Prepare() =>
        select = Prepare(Ado, PersonQueries.SelectOneByEmailSql, ("@p0", SqliteType.Text)); // email

    private int Start()
    {
        var start = next;
        next = (next + QueriesPerTransaction) % BenchFile.People;
        return start;
    }

    private string Email(int start, int i) => emails[(start + i) % BenchFile.People];

    /// <summary>The floor: a prepared command, the record built from the reader by ordinal.</summary>
    [Benchmark(Baseline = true)]
    public Person? AdoNet()
    {
        var start = Start();
        AdoTxn.Begin(write: false);
        try
        {
            Person? last = null;
            for (var i = 0; i < QueriesPerTransaction; i++)
            {
                select.Parameters[0].Value = Email(start, i);
                using var r = select.ExecuteReader();
                last = r.Read() ? new Person(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetDouble(4), r.IsDBNull(5) ? null : r.GetString(5)) : null;
            }
            AdoTxn.Commit();
            return last;
        }
        catch
        {
            AdoTxn.Rollback();
            throw;
        }
    }

    /// <summary>The generated SelectOneByEmailAsync in a ReadAsync transaction.</summary>
    [Benchmark]
    public Task<Person?> Mig()
    {
        var start = Start();
        return QueriesPerTransaction == 1
            ? Db.ReadAsync(txn => Person.SelectOneByEmailAsync(txn, Email(start, 0)))
            : Db.ReadAsync(async txn =>
            {
                Person? last = null;
                for (var i = 0; i < QueriesPerTransaction; i++) last = await Person.SelectOneByEmailAsync(txn, Email(start, i));
                return last;
            });
    }

    /// <summary>
    /// Not a contender: the floor's loop body, unchanged, inside Mig's ReadAsync
    /// and on the runtime's cached command (<see cref="MigTransaction.Command"/>).
    /// Against the floor it shows what the runtime costs; against <see cref="Mig"/>,
    /// what the generated method adds.
    /// </summary>
    [Benchmark]
    public Task<Person?> MigRuntimeAdoBody()
    {
        var start = Start();
        return Db.ReadAsync(txn =>
        {
            var cmd = txn.Command(PersonQueries.SelectOneByEmailSql, static c => c.Parameters.Add("@p0", SqliteType.Text));
            Person? last = null;
            for (var i = 0; i < QueriesPerTransaction; i++)
            {
                cmd.Parameters[0].Value = Email(start, i);
                using var r = cmd.ExecuteReader();
                last = r.Read() ? new Person(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetDouble(4), r.IsDBNull(5) ? null : r.GetString(5)) : null;
            }
            return Task.FromResult(last);
        });
    }

    /// <summary>Dapper's QueryFirstOrDefault with the same SQL (constructor mapping of the record).</summary>
    [Benchmark]
    public Person? Dapper()
    {
        var start = Start();
        DapperTxn.Begin(write: false);
        try
        {
            Person? last = null;
            for (var i = 0; i < QueriesPerTransaction; i++)
                last = DapperConnection.QueryFirstOrDefault<Person>(PersonQueries.SelectOneByEmailSql, new { p0 = Email(start, i) });
            DapperTxn.Commit();
            return last;
        }
        catch
        {
            DapperTxn.Rollback();
            throw;
        }
    }

    /// <summary>EF Core compiled query, AsNoTracking, FirstOrDefault (LIMIT 1).</summary>
    [Benchmark]
    public Person? EfCoreCompiled()
    {
        var start = Start();
        EfTxn.Begin(write: false);
        try
        {
            Person? last = null;
            for (var i = 0; i < QueriesPerTransaction; i++) last = CompiledByEmail(Ef, Email(start, i));
            EfTxn.Commit();
            return last;
        }
        catch
        {
            EfTxn.Rollback();
            throw;
        }
    }

    /// <summary>EF Core LINQ, AsNoTracking, FirstOrDefault (the query cache finds the plan each time).</summary>
    [Benchmark]
    public Person? EfCoreLinq()
    {
        var start = Start();
        EfTxn.Begin(write: false);
        try
        {
            Person? last = null;
            for (var i = 0; i < QueriesPerTransaction; i++)
            {
                var email = Email(start, i);
                last = Ef.People.AsNoTracking().FirstOrDefault(p => p.Email == email);
            }
            EfTxn.Commit();
            return last;
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
        Check(() => MigRuntimeAdoBody().GetAwaiter().GetResult(), nameof(MigRuntimeAdoBody));
        Check(Dapper, nameof(Dapper));
        Check(EfCoreCompiled, nameof(EfCoreCompiled));
        Check(EfCoreLinq, nameof(EfCoreLinq));
        next = 0;
    }

    private void Check(Func<Person?> contender, string name)
    {
        // Twice: the seeded people alternate between a null and a non-null note.
        for (var k = 0; k < 2; k++)
        {
            var expected = BenchFile.NewPerson((next + QueriesPerTransaction - 1) % BenchFile.People);
            var got = contender();
            Check(got == expected, $"{name}: got {got}, expected {expected}");
        }
    }

    private protected override void DisposeCommands() => select.Dispose();
}
