using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Mig.Benchmarks.Infrastructure;
using Mig.Benchmarks.Schema;

namespace Mig.Benchmarks;

/// <summary>
/// Not a comparison: the pieces a generated method runs that hand-written
/// ADO.NET does not, each timed alone, per call (<see cref="Calls"/> calls per
/// operation). What <c>txn.Command(sql, ...)</c> costs (the runtime's
/// per-connection command cache, a dictionary keyed by the SQL text), what a
/// dictionary lookup by that text costs with the ordinal comparer and by
/// reference, and the <c>Task.FromResult</c> every generated method returns.
/// The baseline reads a command from a field, as the hand-written code does.
/// </summary>
public class OverheadBenchmarks : BenchBase
{
    private const int Calls = 100_000;
    private readonly Dictionary<string, SqliteCommand> byText = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteCommand> byReference = new(ReferenceEqualityComparer.Instance);
    private readonly Person person = BenchFile.NewPerson(1);
    private SqliteCommand select = null!;

    private protected override void Prepare()
    {
        select = Prepare(Ado, PersonQueries.SelectOneByEmailSql, ("@p0", SqliteType.Text)); // email
        // A few more entries, like a connection that has run some other queries.
        foreach (var sql in new[] { PersonQueries.InsertSql, PersonQueries.SelectByTeamSql, PersonQueries.UpdateByIdSql, EntryQueries.InsertSql, PersonQueries.SelectOneByEmailSql })
        {
            byText[sql] = select;
            byReference[sql] = select;
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public SqliteCommand CommandFromField()
    {
        SqliteCommand c = null!;
        for (var i = 0; i < Calls; i++) c = Volatile.Read(ref select);
        return c;
    }

    /// <summary>MigTransaction.Command, as every generated method calls it (inside one ReadAsync, amortized over the calls).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public Task<SqliteCommand> MigTxnCommand() => Db.ReadAsync(static txn =>
    {
        SqliteCommand c = null!;
        for (var i = 0; i < Calls; i++)
            c = txn.Command(PersonQueries.SelectOneByEmailSql, static c => c.Parameters.Add("@p0", SqliteType.Text));
        return Task.FromResult(c);
    });

    [Benchmark(OperationsPerInvoke = Calls)]
    public SqliteCommand DictionaryOrdinal()
    {
        SqliteCommand c = null!;
        for (var i = 0; i < Calls; i++) byText.TryGetValue(PersonQueries.SelectOneByEmailSql, out c!);
        return c;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public SqliteCommand DictionaryByReference()
    {
        SqliteCommand c = null!;
        for (var i = 0; i < Calls; i++) byReference.TryGetValue(PersonQueries.SelectOneByEmailSql, out c!);
        return c;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public Task<Person?> TaskFromResult()
    {
        Task<Person?> t = null!;
        for (var i = 0; i < Calls; i++) t = Task.FromResult<Person?>(person);
        return t;
    }

    private protected override void Verify()
    {
        Check(CommandFromField() == select, "field");
        Check(MigTxnCommand().GetAwaiter().GetResult().CommandText == PersonQueries.SelectOneByEmailSql, "txn.Command");
        Check(DictionaryOrdinal() == select && DictionaryByReference() == select, "lookups");
        Check(TaskFromResult().Result == person, "task");
    }

    private protected override void DisposeCommands() => select.Dispose();
}
