using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Mig.Migration;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// The schemas of the concurrency and fault tests: v1 has a parent (author) and
/// a child (book, ON DELETE CASCADE); v2 renames author.name to full_name, adds
/// a column with a default to each table and adds a table (review).
/// </summary>
internal static class HotSchemas
{
    public const string V1 = """
        [AutoIncPK(nameof(Id))]
        public sealed record Author(long Id, string Name, long Score);

        [AutoIncPK(nameof(Id))]
        [OnDeleteCascade(nameof(Author))]
        [Index(nameof(Title))]
        public sealed record Book(long Id, Author Author, string Title, long Pages, byte[]? Cover);
        """;

    public const string V2 = """
        [AutoIncPK(nameof(Id))]
        [Default(nameof(Country), "'nowhere'")]
        public sealed record Author(long Id, [RenamedFrom("name")] string FullName, long Score, string Country);

        [AutoIncPK(nameof(Id))]
        [OnDeleteCascade(nameof(Author))]
        [Index(nameof(Title))]
        [Default(nameof(Rating), "3")]
        public sealed record Book(long Id, Author Author, string Title, long Pages, byte[]? Cover, long Rating);

        [AutoIncPK(nameof(Id))]
        [OnDeleteCascade(nameof(Book))]
        public sealed record Review(long Id, Book Book, string Text);
        """;

    private static readonly Lazy<SchemaModel> V1Model = new(() => SchemaFixture.Model(V1));
    private static readonly Lazy<SchemaModel> V2Model = new(() => SchemaFixture.Model(V2));

    public static SchemaModel ModelV1 => V1Model.Value;
    public static SchemaModel ModelV2 => V2Model.Value;

    /// <summary>The v2 rows an old author row becomes: the plan's transformation, written out independently.</summary>
    public static string NewAuthorRow(string oldRow) => oldRow + " | 'nowhere'";

    /// <summary>The v2 rows an old book row becomes.</summary>
    public static string NewBookRow(string oldRow) => oldRow + " | 3";
}

/// <summary>
/// A v1 database file in a temp folder of its own, named as a deployment names
/// it (<c>app-&lt;hash&gt;.db</c>), and the v2 file a migration builds next to it,
/// with the v2 model JSON the tool reads. Disposing deletes the folder.
/// </summary>
internal sealed class HotPair : IDisposable
{
    public const string Name = "app";

    private HotPair(string directory)
    {
        Directory = directory;
        OldPath = Path.Combine(directory, Protocol.DatabaseFileName(Name, SchemaHash.Compute(HotSchemas.ModelV1)));
        NewPath = Path.Combine(directory, Protocol.DatabaseFileName(Name, HashV2));
        ModelPath = Path.Combine(directory, "model-v2.json");
    }

    public string Directory { get; }
    public string OldPath { get; }
    public string NewPath { get; }
    public string ModelPath { get; }
    public static string HashV2 => SchemaHash.Compute(HotSchemas.ModelV2);

    /// <summary>A v1 file with the model JSON of v2 next to it.</summary>
    public static HotPair Create()
    {
        var pair = new HotPair(TestDatabase.NewDirectory());
        try
        {
            DatabaseCreator.Create(HotSchemas.ModelV1, pair.OldPath, SchemaHash.Compute(HotSchemas.ModelV1));
            File.WriteAllText(pair.ModelPath, SchemaModelJson.Serialize(HotSchemas.ModelV2));
        }
        catch
        {
            pair.Dispose();
            throw;
        }
        return pair;
    }

    /// <summary>The in-process migrator of this pair (v2); log lines go to <paramref name="log"/>.</summary>
    public Migrator Migrator(Action<string>? log = null) =>
        new(HotSchemas.ModelV2, HashV2, OldPath, NewPath, log ?? (_ => { }));

    /// <summary>The tool's arguments that name this pair.</summary>
    public string[] ToolArguments(string verb) =>
        [verb, "--model", ModelPath, "--database-dir", Directory, "--database-name", Name, "--database", OldPath];

    /// <summary>Inserts <paramref name="authors"/> authors with <paramref name="booksEach"/> books each, owned by <paramref name="owner"/>.</summary>
    public void Seed(HotData owner, string tag, int authors, int booksEach, Random rng)
    {
        using var c = HotDb.OpenReadWrite(OldPath);
        using var txn = c.BeginTransaction();
        var exec = new RawExec(c, txn);
        for (var a = 0; a < authors; a++)
        {
            var author = new AuthorData(HotValues.Text(tag, rng), HotValues.Score(rng));
            exec.Execute("INSERT INTO author(name, score) VALUES (@p0, @p1)", author.Name, author.Score);
            var id = exec.LastId();
            owner.Authors[id] = author;
            for (var b = 0; b < booksEach; b++)
            {
                var book = new BookData(id, HotValues.Text(tag, rng), HotValues.Pages(rng), HotValues.Cover(rng));
                exec.Execute("INSERT INTO book(author_id, title, pages, cover) VALUES (@p0, @p1, @p2, @p3)", book.AuthorId, book.Title, book.Pages, book.Cover);
                owner.Books[exec.LastId()] = book;
            }
        }
        txn.Commit();
    }

    /// <summary>The data of the old file: author and book rows as SQLite literals (storage classes included).</summary>
    public (List<string> Authors, List<string> Books) OldRows()
    {
        using var c = HotDb.OpenReadOnly(OldPath);
        return (HotDb.Rows(c, "author", "id", "name", "score"), HotDb.Rows(c, "book", "id", "author_id", "title", "pages", "cover"));
    }

    /// <summary>The data of the new file, including the columns and table v2 added.</summary>
    public (List<string> Authors, List<string> Books, List<string> Reviews) NewRows()
    {
        using var c = HotDb.OpenReadOnly(NewPath);
        return (HotDb.Rows(c, "author", "id", "full_name", "score", "country"),
                HotDb.Rows(c, "book", "id", "author_id", "title", "pages", "cover", "rating"),
                HotDb.Rows(c, "review", "id", "book_id", "text"));
    }

    /// <summary>The old file's data is exactly <paramref name="expected"/> (what the writers saw commit).</summary>
    public void AssertOldHolds(HotData expected, string context)
    {
        var (authors, books) = OldRows();
        HotAssert.SameRows(expected.AuthorRows(), authors, $"{context}: old author");
        HotAssert.SameRows(expected.BookRows(), books, $"{context}: old book");
    }

    /// <summary>The new file is the old file's data transformed by the plan, row for row, and also the writers' data transformed.</summary>
    public void AssertNewIsOldTransformed(HotData? writers, string context)
    {
        var (oldAuthors, oldBooks) = OldRows();
        var (authors, books, reviews) = NewRows();
        HotAssert.SameRows(oldAuthors.Select(HotSchemas.NewAuthorRow).ToList(), authors, $"{context}: new author vs old");
        HotAssert.SameRows(oldBooks.Select(HotSchemas.NewBookRow).ToList(), books, $"{context}: new book vs old");
        Assert.IsEmpty(reviews, $"{context}: the new table has no rows");
        if (writers is null) return;
        HotAssert.SameRows(writers.AuthorRows().Select(HotSchemas.NewAuthorRow).ToList(), authors, $"{context}: new author vs writers' ledger");
        HotAssert.SameRows(writers.BookRows().Select(HotSchemas.NewBookRow).ToList(), books, $"{context}: new book vs writers' ledger");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>Unpooled connections and row reads.</summary>
internal static class HotDb
{
    /// <summary>A file's own status ('migrating', 'ready', 'retired'), or null.</summary>
    public static string? Status(string path)
    {
        using var c = OpenReadOnly(path);
        return Bookkeeping.Status(c);
    }

    /// <summary>An old file's migration marker, or null.</summary>
    public static string? Marker(string path)
    {
        using var c = OpenReadOnly(path);
        return Capture.Marker(c);
    }

    public static SqliteConnection OpenReadOnly(string path)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        return c;
    }

    /// <summary>A writer's own connection, as a second app would open it: foreign keys on, a busy timeout.</summary>
    public static SqliteConnection OpenReadWrite(string path)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false, ForeignKeys = true }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA busy_timeout = 10000";
        cmd.ExecuteNonQuery();
        return c;
    }

    /// <summary>Each row as its columns' SQL literals (<c>quote()</c>: 1, 1.0, '1', X'01' and NULL all differ), ordered by the key.</summary>
    public static List<string> Rows(SqliteConnection c, string table, params string[] columns)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {string.Join(" || ' | ' || ", columns.Select(col => $"quote({col})"))} FROM {table} ORDER BY {columns[0]}";
        using var r = cmd.ExecuteReader();
        var rows = new List<string>();
        while (r.Read()) rows.Add(r.GetString(0));
        return rows;
    }

    public static long Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static long Scalar(string path, string sql)
    {
        using var c = OpenReadOnly(path);
        return Scalar(c, sql);
    }

    /// <summary>A fact from the new file's <c>_mig_info</c>, or null.</summary>
    public static string? Info(string newPath, string key)
    {
        using var c = OpenReadOnly(newPath);
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT value FROM {Protocol.InfoTable} WHERE key = @k";
        cmd.Parameters.AddWithValue("@k", key);
        return cmd.ExecuteScalar() as string;
    }
}

internal static class HotAssert
{
    /// <summary>Equal row lists; on failure says how many differ and shows the first few.</summary>
    public static void SameRows(IReadOnlyList<string> expected, IReadOnlyList<string> actual, string what)
    {
        if (expected.SequenceEqual(actual, StringComparer.Ordinal)) return;
        var missing = expected.Except(actual, StringComparer.Ordinal).ToList();
        var extra = actual.Except(expected, StringComparer.Ordinal).ToList();
        var message = new StringBuilder($"{what}: expected {expected.Count} rows, found {actual.Count}; {missing.Count} missing, {extra.Count} unexpected.");
        foreach (var m in missing.Take(5)) message.Append("\n  missing:    ").Append(m);
        foreach (var e in extra.Take(5)) message.Append("\n  unexpected: ").Append(e);
        Assert.Fail(message.ToString());
    }
}
