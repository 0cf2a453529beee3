using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// A user's project from scratch: the packed SDK from a clean NuGet cache, a
/// schema that uses most of the DSL, `dotnet build -t:MigInit`, and the database
/// it creates used with plain SQL.
/// </summary>
[TestClass]
[TestCategory("EndToEnd")]
public sealed class EndToEndTests
{
    private const string LibrarySchema = """
        using Mig;

        namespace Library.Schema;

        // A text primary key, with seed rows.
        [PK(nameof(Code))]
        public sealed record Genre(string Code, string Title);

        [AutoIncPK(nameof(Id))]
        [Unique(nameof(Email))]
        public sealed record Author(long Id, string Name, string Email);

        [AutoIncPK(nameof(Id))]
        [Unique(nameof(Isbn))]
        [Index(nameof(Title))]
        [Default(nameof(Copies), "1")]
        [DefaultExpr(nameof(AddedAt), "strftime('%Y-%m-%dT%H:%M:%SZ','now')")]
        [OnDeleteCascade(nameof(Author))]
        public sealed record Book(long Id, string Isbn, string Title, Author Author, Genre Genre, long Copies, DateTimeOffset AddedAt);

        // An extension table: at most one website per author.
        public abstract record AuthorOpt
        {
            public sealed record WithWebsite(Author Author, string Url) : AuthorOpt;
        }

        [View]
        [Join(typeof(Book), typeof(Author))]
        [Join(typeof(Book), typeof(Genre))]
        public sealed record BookListing(string BookTitle, string AuthorName, string GenreTitle);

        public static class Seeds
        {
            public static readonly Genre[] Genres = [new("FIC", "Fiction"), new("SCI", "Science")];
            public static Author House => new(1, "House Author", "house@example.org");
        }
        """;

    [TestMethod]
    public void MigInitCreatesAWorkingDatabaseFromTheSchema()
    {
        using var consumer = Consumer.Create("Library", ProjectXml.Additive("<OutputType>Exe</OutputType>"),
            ("Schema/Library.cs", LibrarySchema),
            ("Program.cs", "System.Console.WriteLine(\"library\");\n"));
        consumer.NewFolder("data");

        var item = consumer.Build("-t:MigInit", "-p:MigDatabaseDir=data", "-getTargetResult:MigInit").SingleItem("MigInit");
        Assert.AreEqual(consumer.PathOf($"data/library-{item["SchemaHash"]}.db"), item.Identity);

        using var db = new SqliteFile(item.Identity);
        CollectionAssert.AreEqual(new[] { "_mig_info", "_migration_status", "author", "author_website", "book", "genre" }, db.Names("table").ToArray());
        CollectionAssert.AreEqual(new[] { "book_listing" }, db.Names("view").ToArray());
        Assert.AreEqual("ready", db.Scalar("SELECT status FROM _migration_status"));

        // Foreign keys: (table, from, to, on_delete) of PRAGMA foreign_key_list.
        static string[] Fks(SqliteFile db, string table) =>
            [.. db.Rows($"SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('{table}') ORDER BY \"from\"").Select(r => string.Join(" ", r))];
        CollectionAssert.AreEqual(new[] { "author author_id id CASCADE", "genre genre_code code NO ACTION" }, Fks(db, "book"));
        CollectionAssert.AreEqual(new[] { "author author_id id NO ACTION" }, Fks(db, "author_website"));

        // The index, on the right column.
        CollectionAssert.Contains(db.Names("index").ToArray(), "ix_book_title");
        Assert.AreEqual("title", db.Scalar("SELECT name FROM pragma_index_info('ix_book_title')"));

        // Seeds.
        CollectionAssert.AreEqual(new[] { "FIC Fiction", "SCI Science" },
            db.Rows("SELECT code, title FROM genre ORDER BY code").Select(r => string.Join(" ", r)).ToArray());
        CollectionAssert.AreEqual(new object[] { 1L, "House Author", "house@example.org" }, db.Rows("SELECT id, name, email FROM author")[0]);

        // Data through the schema: defaults, the view's joins, the unique key, the cascade.
        db.Execute("INSERT INTO author(name, email) VALUES ('Ursula', 'ursula@example.org')");
        var ursula = (long)db.Scalar("SELECT id FROM author WHERE email = 'ursula@example.org'")!;
        Assert.AreEqual(2L, ursula, "AUTOINCREMENT continues after the seeded id 1.");
        db.Execute("INSERT INTO book(isbn, title, author_id, genre_code) VALUES ('111', 'The Dispossessed', @p0, 'FIC'), ('222', 'A Brief History', 1, 'SCI')", ursula);
        db.Execute("INSERT INTO author_website(author_id, url) VALUES (@p0, 'https://example.org/ursula')", ursula);
        Assert.AreEqual(1L, db.Scalar("SELECT copies FROM book WHERE isbn = '111'"), "DEFAULT 1");
        Assert.IsInstanceOfType<string>(db.Scalar("SELECT added_at FROM book WHERE isbn = '111'"), "The expression default fills added_at.");

        CollectionAssert.AreEqual(
            new[] { "A Brief History|House Author|Science", "The Dispossessed|Ursula|Fiction" },
            db.Rows("SELECT book_title, author_name, genre_title FROM book_listing ORDER BY book_title").Select(r => string.Join("|", r)).ToArray());

        Assert.ThrowsExactly<Microsoft.Data.Sqlite.SqliteException>(() => db.Execute("INSERT INTO book(isbn, title, author_id, genre_code) VALUES ('111', 'Again', 1, 'FIC')"), "isbn is UNIQUE");
        Assert.ThrowsExactly<Microsoft.Data.Sqlite.SqliteException>(() => db.Execute("INSERT INTO book(isbn, title, author_id, genre_code) VALUES ('333', 'Nowhere', 1, 'XXX')"), "genre_code must reference a genre");
        Assert.ThrowsExactly<Microsoft.Data.Sqlite.SqliteException>(() => db.Execute("DELETE FROM author WHERE id = @p0", ursula), "author_website has no cascade, so its row keeps the author");
        db.Execute("DELETE FROM author_website WHERE author_id = @p0", ursula);
        db.Execute("DELETE FROM author WHERE id = @p0", ursula);
        Assert.AreEqual(0L, db.Scalar("SELECT count(*) FROM book WHERE author_id = @p0", ursula), "ON DELETE CASCADE removes the author's books.");
        Assert.AreEqual(1L, db.Scalar("SELECT count(*) FROM book"));
    }
}
