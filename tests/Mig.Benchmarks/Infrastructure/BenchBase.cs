using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;

namespace Mig.Benchmarks.Infrastructure;

/// <summary>
/// What every benchmark class sets up, for every contender alike: a fresh seeded
/// WAL file; a <see cref="MigDatabase"/> on it; and one connection each for
/// hand-written ADO.NET, Dapper and EF Core, opened with the same settings as the
/// runtime's pooled connections, each with prepared BEGIN/COMMIT commands. After
/// setup every contender's benchmark method is run once and its result checked
/// (<see cref="Verify"/>), so a contender that does less work fails the run
/// instead of winning it.
/// </summary>
public abstract class BenchBase
{
    private BenchFile? file;

    private protected MigDatabase Db { get; private set; } = null!;
    private protected SqliteConnection Ado { get; private set; } = null!;
    private protected SqliteConnection DapperConnection { get; private set; } = null!;
    private protected SqliteConnection EfConnection { get; private set; } = null!;
    private protected RawTransaction AdoTxn { get; private set; } = null!;
    private protected RawTransaction DapperTxn { get; private set; } = null!;
    private protected RawTransaction EfTxn { get; private set; } = null!;
    private protected BenchContext Ef { get; private set; } = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        file = new BenchFile();
        if (file.Synchronous != 2) Console.WriteLine($"// note: PRAGMA synchronous = {file.Synchronous}");
        Db = new MigDatabase(file.Path);
        Ado = file.Open();
        DapperConnection = file.Open();
        EfConnection = file.Open();
        AdoTxn = new RawTransaction(Ado);
        DapperTxn = new RawTransaction(DapperConnection);
        EfTxn = new RawTransaction(EfConnection);
        Ef = new BenchContext(EfConnection);
        Prepare();
        Verify();
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        Ef.Dispose();
        foreach (var t in new[] { AdoTxn, DapperTxn, EfTxn }) t.Dispose();
        DisposeCommands();
        foreach (var c in new[] { Ado, DapperConnection, EfConnection }) c.Dispose();
        Db.Dispose();
        file?.Dispose();
    }

    /// <summary>Prepares the hand-written commands.</summary>
    private protected abstract void Prepare();

    /// <summary>Runs every contender once and throws unless they all did the same work.</summary>
    private protected abstract void Verify();

    private protected abstract void DisposeCommands();

    private protected static SqliteCommand Prepare(SqliteConnection connection, string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, type) in parameters) cmd.Parameters.Add(name, type);
        cmd.Prepare();
        return cmd;
    }

    private protected static void Check(bool ok, string what)
    {
        if (!ok) throw new InvalidOperationException("Benchmark verification failed: " + what);
    }
}
