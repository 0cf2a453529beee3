using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Mig.Benchmarks.Infrastructure;
using Mig.Benchmarks.Schema;

namespace Mig.Benchmarks;

/// <summary>
/// Full-row updates by key (<c>UPDATE person SET name, email, team, score, note
/// WHERE id</c>): one per write transaction, and 1000 in one transaction. Each
/// operation takes the next people in turn and writes their current values (a
/// real write: SQLite rewrites the row and its index entries all the same);
/// every contender returns the number of rows updated.
/// </summary>
public class UpdateBenchmarks : BenchBase
{
    private Person[] people = Enumerable.Range(0, BenchFile.People).Select(BenchFile.NewPerson).ToArray();
    private SqliteCommand update = null!;
    private int next;

    [Params(1, 1000)]
    public int UpdatesPerTransaction { get; set; }

    private protected override void Prepare() =>
        update = Prepare(Ado, PersonQueries.UpdateByIdSql,
            // name, email, team, score, note, then the key
            ("@p0", SqliteType.Text), ("@p1", SqliteType.Text), ("@p2", SqliteType.Integer),
            ("@p3", SqliteType.Real), ("@p4", SqliteType.Text), ("@p5", SqliteType.Integer));

    private int Start()
    {
        var start = next;
        next = (next + UpdatesPerTransaction) % BenchFile.People;
        return start;
    }

    private Person At(int start, int i) => people[(start + i) % BenchFile.People];

    /// <summary>The floor: a prepared command, values set by index.</summary>
    [Benchmark(Baseline = true)]
    public int AdoNet()
    {
        var start = Start();
        AdoTxn.Begin(write: true);
        try
        {
            var n = 0;
            var p = update.Parameters;
            for (var i = 0; i < UpdatesPerTransaction; i++)
            {
                var row = At(start, i);
                p[0].Value = row.Name;
                p[1].Value = row.Email;
                p[2].Value = row.Team;
                p[3].Value = row.Score;
                p[4].Value = (object?)row.Note ?? DBNull.Value;
                p[5].Value = row.Id;
                n += update.ExecuteNonQuery();
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

    /// <summary>The generated UpdateByIdAsync in a WriteAsync transaction.</summary>
    [Benchmark]
    public Task<int> Mig()
    {
        var start = Start();
        return UpdatesPerTransaction == 1
            ? Db.WriteAsync(txn => Person.UpdateByIdAsync(txn, At(start, 0)))
            : Db.WriteAsync(async txn =>
            {
                var n = 0;
                for (var i = 0; i < UpdatesPerTransaction; i++) n += await Person.UpdateByIdAsync(txn, At(start, i));
                return n;
            });
    }

    /// <summary>Dapper's Execute with the same SQL and an anonymous parameter object.</summary>
    [Benchmark]
    public int Dapper()
    {
        var start = Start();
        DapperTxn.Begin(write: true);
        try
        {
            var n = 0;
            for (var i = 0; i < UpdatesPerTransaction; i++)
            {
                var row = At(start, i);
                n += DapperConnection.Execute(PersonQueries.UpdateByIdSql,
                    new { p0 = row.Name, p1 = row.Email, p2 = row.Team, p3 = row.Score, p4 = row.Note, p5 = row.Id });
            }
            DapperTxn.Commit();
            return n;
        }
        catch
        {
            DapperTxn.Rollback();
            throw;
        }
    }

    /// <summary>
    /// EF Core, attach + modify: Update(row) marks every property modified, so
    /// SaveChanges sends the same full-row UPDATE by key; then ChangeTracker.Clear.
    /// </summary>
    [Benchmark]
    public int EfCoreUpdate()
    {
        var start = Start();
        EfTxn.Begin(write: true);
        try
        {
            var n = 0;
            for (var i = 0; i < UpdatesPerTransaction; i++)
            {
                Ef.People.Update(At(start, i));
                n += Ef.SaveChanges();
                Ef.ChangeTracker.Clear();
            }
            EfTxn.Commit();
            return n;
        }
        catch
        {
            EfTxn.Rollback();
            throw;
        }
    }

    /// <summary>EF Core ExecuteUpdate: WHERE id = key, SetProperty for the five columns; no change tracking.</summary>
    [Benchmark]
    public int EfCoreExecuteUpdate()
    {
        var start = Start();
        EfTxn.Begin(write: true);
        try
        {
            var n = 0;
            for (var i = 0; i < UpdatesPerTransaction; i++)
            {
                var row = At(start, i);
                n += Ef.People.Where(p => p.Id == row.Id).ExecuteUpdate(s => s
                    .SetProperty(p => p.Name, row.Name)
                    .SetProperty(p => p.Email, row.Email)
                    .SetProperty(p => p.Team, row.Team)
                    .SetProperty(p => p.Score, row.Score)
                    .SetProperty(p => p.Note, row.Note));
            }
            EfTxn.Commit();
            return n;
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
        Check(EfCoreUpdate, nameof(EfCoreUpdate));
        Check(EfCoreExecuteUpdate, nameof(EfCoreExecuteUpdate));
        next = 0;
    }

    // Each contender writes changed values (a null note made non-null and back),
    // which are read back, then the original values again.
    private void Check(Func<int> contender, string name)
    {
        var original = people;
        var start = next;
        try
        {
            people = original.Select(p => p with { Name = p.Name + "!", Score = -p.Score, Note = p.Note is null ? "set" : null, Team = p.Team + 1000 }).ToArray();
            Check(contender() == UpdatesPerTransaction, $"{name}: rows updated");
            for (var i = 0; i < UpdatesPerTransaction; i++)
                Check(Read(people[(start + i) % BenchFile.People].Id) == people[(start + i) % BenchFile.People], $"{name}: row {i} not updated");
        }
        finally
        {
            people = original;
        }
        next = start;
        Check(contender() == UpdatesPerTransaction, $"{name}: rows restored");
        for (var i = 0; i < UpdatesPerTransaction; i++)
            Check(Read(people[(start + i) % BenchFile.People].Id) == people[(start + i) % BenchFile.People], $"{name}: row {i} not restored");
    }

    private Person? Read(long id)
    {
        using var cmd = Ado.CreateCommand();
        cmd.CommandText = "SELECT id, name, email, team, score, note FROM person WHERE id = @id";
        cmd.Parameters.AddWithValue("@id", id);
        using var r = cmd.ExecuteReader();
        return r.Read() ? new Person(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetDouble(4), r.IsDBNull(5) ? null : r.GetString(5)) : null;
    }

    private protected override void DisposeCommands() => update.Dispose();
}
