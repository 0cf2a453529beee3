using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Mig.Benchmarks.Infrastructure;
using Mig.Benchmarks.Schema;

namespace Mig.Benchmarks;

/// <summary>Reads a person by ordinal, as every hand-written floor below does.</summary>
internal static class PersonReader
{
    public static Person Read(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetDouble(4), r.IsDBNull(5) ? null : r.GetString(5));

    public static List<Person> ReadAll(SqliteCommand cmd)
    {
        var list = new List<Person>();
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(Read(r));
        return list;
    }
}

/// <summary>
/// <c>CountByTeamAsync</c> (an index seek counting 100 rows) against a prepared command running the
/// same SQL, one count per read transaction, each operation the next team in turn.
/// </summary>
public class CountByBenchmarks : BenchBase
{
    private SqliteCommand count = null!;
    private int next;

    private protected override void Prepare() => count = Prepare(Ado, PersonQueries.CountByTeamSql, ("@p0", SqliteType.Integer)); // team

    private long NextTeam() => next = (next + 1) % BenchFile.Teams;

    /// <summary>The floor: a prepared command and ExecuteScalar.</summary>
    [Benchmark(Baseline = true)]
    public long AdoNet()
    {
        var team = NextTeam();
        AdoTxn.Begin(write: false);
        try
        {
            count.Parameters[0].Value = team;
            var n = (long)count.ExecuteScalar()!;
            AdoTxn.Commit();
            return n;
        }
        catch
        {
            AdoTxn.Rollback();
            throw;
        }
    }

    /// <summary>The generated CountByTeamAsync in a ReadAsync transaction.</summary>
    [Benchmark]
    public Task<long> Mig()
    {
        var team = NextTeam();
        return Db.ReadAsync(txn => Person.CountByTeamAsync(txn, team));
    }

    private protected override void Verify()
    {
        Check(AdoNet() == BenchFile.TeamSize, nameof(AdoNet));
        Check(Mig().GetAwaiter().GetResult() == BenchFile.TeamSize, nameof(Mig));
    }

    private protected override void DisposeCommands() => count.Dispose();
}

/// <summary>
/// Keyset pages of 100 people (<c>SelectPageByIdAsync</c>, the after-a-key statement), one page per
/// read transaction, each operation the next page in turn, against a prepared command running the same SQL.
/// </summary>
public class SelectPageBenchmarks : BenchBase
{
    private const int Limit = 100;
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

    private protected override void Verify()
    {
        foreach (var (name, run) in new (string, Func<IReadOnlyList<Person>>)[] { (nameof(AdoNet), AdoNet), (nameof(Mig), () => Mig().GetAwaiter().GetResult()) })
        {
            after = 0;
            var rows = run();
            Check(rows.SequenceEqual(Enumerable.Range(0, Limit).Select(BenchFile.NewPerson)), $"{name}: the first page after key 0");
        }
        after = 0;
    }

    private protected override void DisposeCommands() => page.Dispose();
}

/// <summary>
/// <c>SelectTeamBetweenAsync</c> over two teams (200 people, through the team index), one range per
/// read transaction, against a prepared command running the same SQL.
/// </summary>
public class SelectRangeBenchmarks : BenchBase
{
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

    private protected override void Verify()
    {
        foreach (var (name, run) in new (string, Func<IReadOnlyList<Person>>)[] { (nameof(AdoNet), AdoNet), (nameof(Mig), () => Mig().GetAwaiter().GetResult()) })
        {
            next = 0;
            var rows = run();
            Check(rows.Count == 2 * BenchFile.TeamSize && rows.All(p => p.Team is 1 or 2), $"{name}: teams 1 and 2");
        }
        next = 0;
    }

    private protected override void DisposeCommands() => range.Dispose();
}

/// <summary>
/// <c>SelectByIdInAsync</c> with a list of 100 ids spread over the table, one list per read
/// transaction, against a prepared command running the same SQL with the JSON array written the
/// way one writes it by hand (<c>"[" + string.Join(",", ids) + "]"</c>).
/// </summary>
public class SelectInBenchmarks : BenchBase
{
    private const int Count = 100;
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

    private protected override void Verify()
    {
        foreach (var (name, run) in new (string, Func<IReadOnlyList<Person>>)[] { (nameof(AdoNet), AdoNet), (nameof(Mig), () => Mig().GetAwaiter().GetResult()) })
        {
            next = 0;
            var rows = run();
            Check(rows.Select(p => p.Id).Order().SequenceEqual(lists[1].Order()), $"{name}: the people of the list");
        }
        next = 0;
    }

    private protected override void DisposeCommands() => select.Dispose();
}

/// <summary>
/// <c>InsertManyAsync</c> of 1000 entries in one write transaction against the floor of
/// <see cref="InsertBenchmarks"/>: the same prepared insert, values set by index per row.
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

    private protected override void Verify()
    {
        Check(AdoNet() == Rows, nameof(AdoNet));
        Check(Mig().GetAwaiter().GetResult() == Rows, nameof(Mig));
        using var cmd = Ado.CreateCommand();
        cmd.CommandText = "SELECT count(*), count(DISTINCT seq), sum(amount) FROM entry";
        using var r = cmd.ExecuteReader();
        r.Read();
        Check(r.GetInt64(0) == 2 * Rows && r.GetInt64(1) == Rows && r.GetDouble(2) == 2 * rows.Sum(e => e.Amount), "both stored the same rows");
    }

    private protected override void DisposeCommands() => insert.Dispose();
}
