using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Mig.Benchmarks.Infrastructure;
using Mig.Benchmarks.Schema;

namespace Mig.Benchmarks;

/// <summary>
/// Single-row inserts into <c>entry</c> (no secondary index), returning the new
/// key: one row per write transaction (dominated by the commit, which syncs the
/// WAL) and 1000 rows per transaction (the insert itself). Every contender
/// inserts the same pre-built rows with the same SQL inside the same
/// BEGIN IMMEDIATE ... COMMIT and returns the key of the last row.
/// </summary>
public class InsertBenchmarks : BenchBase
{
    private const int MaxRows = 1000;
    private readonly Entry[] rows = Enumerable.Range(0, MaxRows)
        .Select(i => new Entry(0, $"kind{i % 10}", i, i * 1.25, i % 2 == 0 ? null : $"note {i}"))
        .ToArray();
    private SqliteCommand insert = null!, readBack = null!;

    [Params(1, MaxRows)]
    public int RowsPerTransaction { get; set; }

    private protected override void Prepare()
    {
        insert = Prepare(Ado, EntryQueries.InsertSql,
            ("@p0", SqliteType.Text), ("@p1", SqliteType.Integer), ("@p2", SqliteType.Real), ("@p3", SqliteType.Text)); // kind, seq, amount, note
        readBack = Prepare(Ado, "SELECT id, kind, seq, amount, note FROM entry WHERE id = @id", ("@id", SqliteType.Integer));
    }

    /// <summary>The floor: a prepared command, values set by index, the key from sqlite3_last_insert_rowid (no statement).</summary>
    [Benchmark(Baseline = true)]
    public long AdoNet()
    {
        AdoTxn.Begin(write: true);
        try
        {
            long id = 0;
            var p = insert.Parameters;
            for (var i = 0; i < RowsPerTransaction; i++)
            {
                var row = rows[i];
                p[0].Value = row.Kind;
                p[1].Value = row.Seq;
                p[2].Value = row.Amount;
                p[3].Value = (object?)row.Note ?? DBNull.Value;
                insert.ExecuteNonQuery();
                id = SQLitePCL.raw.sqlite3_last_insert_rowid(Ado.Handle);
            }
            AdoTxn.Commit();
            return id;
        }
        catch
        {
            AdoTxn.Rollback();
            throw;
        }
    }

    /// <summary>The generated InsertAsync in a WriteAsync transaction, written the way a user writes it.</summary>
    [Benchmark]
    public Task<long> Mig() => RowsPerTransaction == 1
        ? Db.WriteAsync(txn => Entry.InsertAsync(txn, rows[0]))
        : Db.WriteAsync(async txn =>
        {
            long id = 0;
            for (var i = 0; i < RowsPerTransaction; i++) id = await Entry.InsertAsync(txn, rows[i]);
            return id;
        });

    /// <summary>
    /// Not a contender: the floor's loop body, unchanged, inside Mig's WriteAsync
    /// and on the runtime's cached command (<see cref="MigTransaction.Command"/>).
    /// Against the floor it shows what the runtime costs; against <see cref="Mig"/>,
    /// what the generated method adds.
    /// </summary>
    [Benchmark]
    public Task<long> MigRuntimeAdoBody() => Db.WriteAsync(txn =>
    {
        var cmd = txn.Command(EntryQueries.InsertSql, static c =>
        {
            c.Parameters.Add("@p0", SqliteType.Text); // kind
            c.Parameters.Add("@p1", SqliteType.Integer); // seq
            c.Parameters.Add("@p2", SqliteType.Real); // amount
            c.Parameters.Add("@p3", SqliteType.Text); // note
        });
        var handle = txn.Connection.Handle;
        long id = 0;
        var p = cmd.Parameters;
        for (var i = 0; i < RowsPerTransaction; i++)
        {
            var row = rows[i];
            p[0].Value = row.Kind;
            p[1].Value = row.Seq;
            p[2].Value = row.Amount;
            p[3].Value = (object?)row.Note ?? DBNull.Value;
            cmd.ExecuteNonQuery();
            id = SQLitePCL.raw.sqlite3_last_insert_rowid(handle);
        }
        return Task.FromResult(id);
    });

    /// <summary>Dapper's Execute with an anonymous parameter object (Dapper makes a new command per call); the key as in the floor.</summary>
    [Benchmark]
    public long Dapper()
    {
        DapperTxn.Begin(write: true);
        try
        {
            long id = 0;
            for (var i = 0; i < RowsPerTransaction; i++)
            {
                var row = rows[i];
                DapperConnection.Execute(EntryQueries.InsertSql, new { p0 = row.Kind, p1 = row.Seq, p2 = row.Amount, p3 = row.Note });
                id = SQLitePCL.raw.sqlite3_last_insert_rowid(DapperConnection.Handle);
            }
            DapperTxn.Commit();
            return id;
        }
        catch
        {
            DapperTxn.Rollback();
            throw;
        }
    }

    /// <summary>
    /// EF Core: Add + SaveChanges per row (EF reads the key back with RETURNING),
    /// then ChangeTracker.Clear. EF writes the key into the entity, so each row is
    /// a copy of the pre-built one.
    /// </summary>
    [Benchmark]
    public long EfCore()
    {
        EfTxn.Begin(write: true);
        try
        {
            long id = 0;
            for (var i = 0; i < RowsPerTransaction; i++)
            {
                var row = rows[i] with { };
                Ef.Entries.Add(row);
                Ef.SaveChanges();
                Ef.ChangeTracker.Clear();
                id = row.Id;
            }
            EfTxn.Commit();
            return id;
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
        Check(EfCore, nameof(EfCore));
    }

    private void Check(Func<long> contender, string name)
    {
        var before = MaxId();
        var last = contender();
        Check(last == before + RowsPerTransaction, $"{name}: returned key {last}, expected {before + RowsPerTransaction}");
        for (var i = 0; i < RowsPerTransaction; i++)
            Check(Read(before + 1 + i) == rows[i] with { Id = before + 1 + i }, $"{name}: row {i} stored differently");
    }

    private long MaxId()
    {
        using var cmd = Ado.CreateCommand();
        cmd.CommandText = "SELECT coalesce(max(id), 0) FROM entry";
        return (long)cmd.ExecuteScalar()!;
    }

    private Entry? Read(long id)
    {
        readBack.Parameters[0].Value = id;
        using var r = readBack.ExecuteReader();
        return r.Read() ? new Entry(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetDouble(3), r.IsDBNull(4) ? null : r.GetString(4)) : null;
    }

    private protected override void DisposeCommands()
    {
        insert.Dispose();
        readBack.Dispose();
    }
}
