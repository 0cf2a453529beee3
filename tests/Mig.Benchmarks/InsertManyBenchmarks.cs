using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Mig.Benchmarks.Infrastructure;
using Mig.Benchmarks.Schema;

namespace Mig.Benchmarks;

/// <summary>
/// <c>InsertManyAsync</c> of 1000 entries in one write transaction against the floor of
/// <see cref="InsertBenchmarks"/> (the same prepared insert, values set by index per row), Dapper's
/// Execute over the list (one execution per element) and EF Core's AddRange + one SaveChanges
/// (batched INSERTs, keys read back), then ChangeTracker.Clear.
/// </summary>
public class InsertManyBenchmarks : BenchBase
{
    private const int Rows = 1000;
    private readonly Entry[] rows = [.. Enumerable.Range(0, Rows).Select(i => new Entry(0, $"kind{i % 10}", i, i * 1.25, i % 2 == 0 ? null : $"note {i}"))];
    private SqliteCommand insert = null!;

    private protected override void Prepare() =>
        insert = Prepare(Ado, EntryQueries.InsertSql,
            ("@p0", SqliteType.Text), ("@p1", SqliteType.Integer), ("@p2", SqliteType.Real), ("@p3", SqliteType.Text)); // kind, seq, amount, note

    /// <summary>The floor: a prepared command, values set by index, one execution per row.</summary>
    [Benchmark(Baseline = true)]
    public int AdoNet()
    {
        AdoTxn.Begin(write: true);
        try
        {
            var p = insert.Parameters;
            var n = 0;
            foreach (var row in rows)
            {
                p[0].Value = row.Kind;
                p[1].Value = row.Seq;
                p[2].Value = row.Amount;
                p[3].Value = (object?)row.Note ?? DBNull.Value;
                insert.ExecuteNonQuery();
                n++;
            }
            AdoTxn.Commit();
            return n;
        }
        catch
        {
            AdoTxn.Rollback();
            throw;
        }
    }

    /// <summary>The generated InsertManyAsync in a WriteAsync transaction.</summary>
    [Benchmark]
    public Task<int> Mig() => Db.WriteAsync(txn => Entry.InsertManyAsync(txn, rows));

    /// <summary>Dapper's Execute with the list of parameter objects (it runs the SQL once per element).</summary>
    [Benchmark]
    public int Dapper() =>
        InTransaction.Run(DapperTxn, write: true, () => DapperConnection.Execute(EntryQueries.InsertSql, rows.Select(r => new { p0 = r.Kind, p1 = r.Seq, p2 = r.Amount, p3 = r.Note })));

    /// <summary>EF Core: AddRange of copies (EF writes the keys into them), one SaveChanges, ChangeTracker.Clear.</summary>
    [Benchmark]
    public int EfCore() =>
        InTransaction.Run(EfTxn, write: true, () =>
        {
            Ef.Entries.AddRange(rows.Select(r => r with { }));
            var n = Ef.SaveChanges();
            Ef.ChangeTracker.Clear();
            return n;
        });

    private protected override void Verify()
    {
        Check(AdoNet() == Rows, nameof(AdoNet));
        Check(Mig().GetAwaiter().GetResult() == Rows, nameof(Mig));
        Check(Dapper() == Rows, nameof(Dapper));
        Check(EfCore() == Rows, nameof(EfCore));
        using var cmd = Ado.CreateCommand();
        cmd.CommandText = "SELECT count(*), count(DISTINCT seq), sum(amount), count(note) FROM entry";
        using var r = cmd.ExecuteReader();
        r.Read();
        Check(r.GetInt64(0) == 4 * Rows && r.GetInt64(1) == Rows && r.GetDouble(2) == 4 * rows.Sum(e => e.Amount) && r.GetInt64(3) == 4 * rows.Count(e => e.Note is not null),
            "all four stored the same rows");
    }

    private protected override void DisposeCommands() => insert.Dispose();
}
