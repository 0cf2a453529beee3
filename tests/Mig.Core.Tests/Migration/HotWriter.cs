using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Mig.Core.Tests.Migration;

internal sealed record AuthorData(string Name, long Score);

/// <summary>A book; <see cref="Pages"/> is mostly an integer, sometimes a REAL or a TEXT the INTEGER column keeps as is.</summary>
internal sealed record BookData(long AuthorId, string Title, object Pages, byte[]? Cover);

/// <summary>
/// What a writer believes the rows it owns are: every transaction it saw commit,
/// nothing it saw refused. Keys are the ones SQLite assigned.
/// </summary>
internal sealed class HotData
{
    public SortedDictionary<long, AuthorData> Authors { get; } = [];
    public SortedDictionary<long, BookData> Books { get; } = [];

    public HotData Clone()
    {
        var copy = new HotData();
        foreach (var (k, v) in Authors) copy.Authors[k] = v;
        foreach (var (k, v) in Books) copy.Books[k] = v;
        return copy;
    }

    /// <summary>The union of disjoint owners' data.</summary>
    public static HotData Union(IEnumerable<HotData> parts)
    {
        var all = new HotData();
        foreach (var p in parts)
        {
            foreach (var (k, v) in p.Authors) all.Authors.Add(k, v);
            foreach (var (k, v) in p.Books) all.Books.Add(k, v);
        }
        return all;
    }

    /// <summary>The author rows as <c>quote()</c> writes them (id, name, score).</summary>
    public List<string> AuthorRows() => [.. Authors.Select(kv => $"{kv.Key} | {HotValues.Quote(kv.Value.Name)} | {kv.Value.Score}")];

    /// <summary>The book rows as <c>quote()</c> writes them (id, author_id, title, pages, cover).</summary>
    public List<string> BookRows() => [.. Books.Select(kv => $"{kv.Key} | {kv.Value.AuthorId} | {HotValues.Quote(kv.Value.Title)} | {HotValues.QuoteValue(kv.Value.Pages)} | {HotValues.Quote(kv.Value.Cover)}")];
}

/// <summary>Random values that exercise storage classes and quoting: quotes, non-ASCII, extreme integers, NULL, empty and binary BLOBs.</summary>
internal static class HotValues
{
    private static readonly string[] Odd = ["", "'", "\"", "ß", "|", "%_", "\n", "😀", "\\", "{\"$blob\":\"00\"}"];

    public static string Text(string tag, Random rng) =>
        $"{tag}:{rng.Next(1_000_000).ToString(CultureInfo.InvariantCulture)}{Odd[rng.Next(Odd.Length)]}";

    public static long Score(Random rng) => rng.Next(10) switch
    {
        0 => long.MaxValue,
        1 => long.MinValue,
        2 => 0,
        3 => -rng.Next(),
        _ => rng.NextInt64(),
    };

    /// <summary>Values whose storage class an INTEGER column keeps: integers, non-integral REALs, non-numeric TEXT.</summary>
    public static object Pages(Random rng) => rng.Next(10) switch
    {
        0 => new[] { 1.5, -0.25, 2.75 }[rng.Next(3)],
        1 => new[] { "n/a", "12a", "" }[rng.Next(3)],
        _ => (long)rng.Next(1, 2000),
    };

    public static byte[]? Cover(Random rng)
    {
        switch (rng.Next(10))
        {
            case < 3: return null;
            case 3: return [];
            default:
                var bytes = new byte[rng.Next(1, 48)];
                rng.NextBytes(bytes);
                return bytes;
        }
    }

    /// <summary>A value as SQLite's <c>quote()</c> writes it.</summary>
    public static string Quote(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Quote(byte[]? b) => b is null ? "NULL" : "X'" + Convert.ToHexString(b) + "'";

    public static string QuoteValue(object v) => v switch
    {
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => Quote(s),
        _ => throw new ArgumentException($"unexpected value {v}"),
    };
}

/// <summary>The SQL a writer runs, over Mig's prepared commands or a plain ADO.NET connection.</summary>
internal interface IHotExec
{
    int Execute(string sql, params object?[] values);
    long LastId();
    long Scalar(string sql);
}

/// <summary>Plain ADO.NET on the writer's own connection and transaction.</summary>
internal sealed class RawExec(SqliteConnection connection, SqliteTransaction transaction) : IHotExec
{
    public int Execute(string sql, params object?[] values)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        for (var i = 0; i < values.Length; i++) cmd.Parameters.AddWithValue("@p" + i.ToString(CultureInfo.InvariantCulture), values[i] ?? DBNull.Value);
        return cmd.ExecuteNonQuery();
    }

    public long LastId()
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "SELECT last_insert_rowid()";
        return (long)cmd.ExecuteScalar()!;
    }

    public long Scalar(string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }
}

/// <summary>What generated code does: a prepared command per SQL, reused across transactions, values set by index.</summary>
internal sealed class MigExec(MigTransaction txn) : IHotExec
{
    public int Execute(string sql, params object?[] values)
    {
        var cmd = txn.Command(sql, c =>
        {
            for (var i = 0; i < values.Length; i++) c.Parameters.Add(new SqliteParameter("@p" + i.ToString(CultureInfo.InvariantCulture), null));
        });
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
        return cmd.ExecuteNonQuery();
    }

    public long LastId() => MigValue.LastInsertRowId(txn);

    public long Scalar(string sql)
    {
        using var cmd = txn.Connection.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }
}

/// <summary>
/// A writer of the old service (or of a second app): random inserts, updates and
/// deletes on its own authors and books, a few per transaction. A transaction
/// that commits is added to <see cref="Mine"/>; one refused because writes are
/// paused is not, and the writer stops. Any other failure propagates.
/// </summary>
internal abstract class HotWriter(string tag, Random rng) : IRandomWriter, IDisposable
{
    private static int writers;
    // Keys this writer moves rows to: negative (SQLite never assigns those) and its own range.
    private readonly long keyBase = -10_000_000L * Interlocked.Increment(ref writers);
    private long rekeys;

    public string Tag { get; } = tag;
    public HotData Mine { get; private set; } = new();
    public int Commits { get; private set; }

    public string FailureContext => "";
    public bool Refused { get; private set; }

    /// <summary>When set, each commit records the capture group (txn_seq) it was logged under and the data after it.</summary>
    public List<(long TxnSeq, HotData After)>? History { get; set; }

    protected Random Rng { get; } = rng;

    /// <summary>The author's name column: <c>name</c> in v1, <c>full_name</c> in v2 (a writer of the new service).</summary>
    public string NameColumn { get; init; } = "name";

    /// <summary>Runs one transaction of <paramref name="ops"/> random writes; false when it was refused (writes paused).</summary>
    public bool Step(int ops)
    {
        var draft = Mine.Clone();
        long seq = -1;
        var committed = Run(exec =>
        {
            for (var i = 0; i < ops; i++) RandomOp(exec, draft);
            if (History is not null) seq = CurrentTxnSeq(exec);
        });
        if (!committed)
        {
            Refused = true;
            return false;
        }
        Mine = draft;
        Commits++;
        History?.Add((seq, draft.Clone()));
        return true;
    }

    /// <summary>One transaction that inserts <paramref name="books"/> books (a capture group larger than a replay batch).</summary>
    public bool BigInsert(int books)
    {
        var draft = Mine.Clone();
        long seq = -1;
        var committed = Run(exec =>
        {
            var authorId = InsertAuthor(exec, draft);
            for (var i = 0; i < books; i++) InsertBook(exec, draft, authorId);
            if (History is not null) seq = CurrentTxnSeq(exec);
        });
        if (!committed)
        {
            Refused = true;
            return false;
        }
        Mine = draft;
        Commits++;
        History?.Add((seq, draft.Clone()));
        return true;
    }

    /// <summary>Adopts rows inserted for this writer before it started.</summary>
    public void Own(HotData seeded) => Mine = HotData.Union([Mine, seeded]);

    protected abstract bool Run(Action<IHotExec> body);

    protected abstract long CurrentTxnSeq(IHotExec exec);

    public abstract void Dispose();

    private void RandomOp(IHotExec exec, HotData d)
    {
        var roll = Rng.Next(100);
        if (d.Authors.Count == 0 || roll < 15) { InsertAuthor(exec, d); return; }
        var authorId = Pick(d.Authors.Keys);
        if (roll < 45) { InsertBook(exec, d, authorId); return; }
        if (roll < 60)
        {
            var a = d.Authors[authorId] with { Score = HotValues.Score(Rng) };
            if (Rng.Next(2) == 0) a = a with { Name = HotValues.Text(Tag, Rng) };
            Expect(1, exec.Execute($"UPDATE author SET {NameColumn} = @p0, score = @p1 WHERE id = @p2", a.Name, a.Score, authorId));
            d.Authors[authorId] = a;
            return;
        }
        if (d.Books.Count == 0) { InsertBook(exec, d, authorId); return; }
        var bookId = Pick(d.Books.Keys);
        if (roll < 78)
        {
            var b = d.Books[bookId] with { Title = HotValues.Text(Tag, Rng), Pages = HotValues.Pages(Rng), Cover = HotValues.Cover(Rng) };
            Expect(1, exec.Execute("UPDATE book SET title = @p0, pages = @p1, cover = @p2 WHERE id = @p3", b.Title, b.Pages, b.Cover, bookId));
            d.Books[bookId] = b;
        }
        else if (roll < 84)
        {
            // Moves a book to another of this writer's authors (the child's reference changes).
            Expect(1, exec.Execute("UPDATE book SET author_id = @p0 WHERE id = @p1", authorId, bookId));
            d.Books[bookId] = d.Books[bookId] with { AuthorId = authorId };
        }
        else if (roll < 88)
        {
            // Changes a key (the rowid): the capture logs the old rowid too, and replay moves the row.
            var key = keyBase - ++rekeys;
            if (d.Books.Values.Any(b => b.AuthorId == authorId))
            {
                Expect(1, exec.Execute("UPDATE book SET id = @p0 WHERE id = @p1", key, bookId));
                d.Books.Add(key, d.Books[bookId]);
                d.Books.Remove(bookId);
            }
            else
            {
                Expect(1, exec.Execute("UPDATE author SET id = @p0 WHERE id = @p1", key, authorId));
                d.Authors.Add(key, d.Authors[authorId]);
                d.Authors.Remove(authorId);
            }
        }
        else if (roll < 96)
        {
            Expect(1, exec.Execute("DELETE FROM book WHERE id = @p0", bookId));
            d.Books.Remove(bookId);
        }
        else
        {
            // The cascade deletes the author's books in the same statement; the capture triggers log them too.
            Expect(1, exec.Execute("DELETE FROM author WHERE id = @p0", authorId));
            d.Authors.Remove(authorId);
            foreach (var orphan in d.Books.Where(kv => kv.Value.AuthorId == authorId).Select(kv => kv.Key).ToList()) d.Books.Remove(orphan);
        }
    }

    private long InsertAuthor(IHotExec exec, HotData d)
    {
        var a = new AuthorData(HotValues.Text(Tag, Rng), HotValues.Score(Rng));
        Expect(1, exec.Execute($"INSERT INTO author({NameColumn}, score) VALUES (@p0, @p1)", a.Name, a.Score));
        var id = exec.LastId();
        d.Authors.Add(id, a);
        return id;
    }

    private void InsertBook(IHotExec exec, HotData d, long authorId)
    {
        var b = new BookData(authorId, HotValues.Text(Tag, Rng), HotValues.Pages(Rng), HotValues.Cover(Rng));
        Expect(1, exec.Execute("INSERT INTO book(author_id, title, pages, cover) VALUES (@p0, @p1, @p2, @p3)", b.AuthorId, b.Title, b.Pages, b.Cover));
        d.Books.Add(exec.LastId(), b);
    }

    private long Pick(ICollection<long> keys) => keys.ElementAt(Rng.Next(keys.Count));

    private void Expect(int rows, int actual)
    {
        if (actual != rows) throw new InvalidOperationException($"{Tag}: a write changed {actual} rows, expected {rows}");
    }

    /// <summary>True for the guard triggers' error: the write was refused and rolled back.</summary>
    public static bool IsGuardError(Exception e) =>
        e is SqliteException s && s.Message.Contains(Protocol.WritesPausedMessage, StringComparison.Ordinal);

    public static string Describe(Exception e)
    {
        var sb = new StringBuilder();
        for (var x = e; x is not null; x = x.InnerException) sb.Append(x.GetType().Name).Append(": ").Append(x.Message).Append(" / ");
        return sb.ToString();
    }
}

/// <summary>A writer through the Mig runtime: <see cref="MigDatabase.WriteAsync(Func{MigTransaction, Task}, CancellationToken)"/>.</summary>
internal sealed class MigWriter(string tag, Random rng, MigDatabase db) : HotWriter(tag, rng)
{
    /// <summary>A file taken out of service (a revert's new file) counts as a refusal too, not as a failure.</summary>
    public bool NotReadyIsRefusal { get; init; }

    protected override bool Run(Action<IHotExec> body)
    {
        try
        {
            db.WriteAsync(txn =>
            {
                body(new MigExec(txn));
                return Task.CompletedTask;
            }).GetAwaiter().GetResult();
            return true;
        }
        catch (MigWritesPausedException)
        {
            return false;
        }
        catch (MigDatabaseNotReadyException) when (NotReadyIsRefusal)
        {
            return false;
        }
    }

    // txn_seq was bumped by this very transaction (it holds the write lock): it is the capture group of its writes.
    protected override long CurrentTxnSeq(IHotExec exec) => exec.Scalar($"SELECT txn_seq FROM {Protocol.MarkerTable} WHERE id = 0");

    public override void Dispose() { }
}

/// <summary>A writer that knows nothing of Mig: its own Microsoft.Data.Sqlite connection, BEGIN IMMEDIATE, a busy timeout.</summary>
internal sealed class RawWriter(string tag, Random rng, string path) : HotWriter(tag, rng)
{
    private readonly SqliteConnection connection = HotDb.OpenReadWrite(path);

    protected override bool Run(Action<IHotExec> body)
    {
        using var txn = connection.BeginTransaction(deferred: false);
        try
        {
            body(new RawExec(connection, txn));
            txn.Commit();
            return true;
        }
        catch (SqliteException e) when (IsGuardError(e))
        {
            return false;
        }
    }

    protected override long CurrentTxnSeq(IHotExec exec) => throw new NotSupportedException("a raw writer does not group its captures");

    public override void Dispose() => connection.Dispose();
}
