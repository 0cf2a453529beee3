using Microsoft.Data.Sqlite;
using Mig.Sql;

namespace Mig.Core.Tests;

[TestClass]
public sealed class KeyTests
{
    [TestMethod]
    public void IntegerPrimaryKey()
    {
        using var db = TestDatabase.Create("""
            [PK(nameof(Id))]
            public sealed record Role(long Id, string Name);
            """, out var model);
        var table = model.Table("role");
        CollectionAssert.AreEqual(new[] { "id" }, table.PrimaryKey.ToArray());
        Assert.IsFalse(table.AutoIncrement);
        CollectionAssert.AreEqual(new[] { "id INTEGER PRIMARY KEY", "name TEXT NOT NULL" }, SchemaFixture.DefinitionLines(Ddl.CreateTable(table)).ToArray());

        Assert.AreEqual(new DbColumn("id", "INTEGER", false, null, 1), db.Column("role", "id"));
        db.Execute("INSERT INTO role(id, name) VALUES (5, 'admin')");
        Assert.ThrowsExactly<SqliteException>(() => db.Execute("INSERT INTO role(id, name) VALUES (5, 'again')"));
        Assert.AreEqual(5L, db.Scalar("SELECT rowid FROM role"), "an INTEGER PRIMARY KEY is the rowid");
    }

    [TestMethod]
    public void TextPrimaryKeyIsNotNull()
    {
        using var db = TestDatabase.Create("""
            [PK(nameof(Code))]
            public sealed record Country(string Code, string Name);
            """, out var model);
        var table = model.Table("country");
        CollectionAssert.AreEqual(new[] { "code" }, table.PrimaryKey.ToArray());
        CollectionAssert.Contains(SchemaFixture.DefinitionLines(Ddl.CreateTable(table)).ToList(), "code TEXT NOT NULL PRIMARY KEY");

        Assert.AreEqual(new DbColumn("code", "TEXT", true, null, 1), db.Column("country", "code"));
        db.Execute("INSERT INTO country(code, name) VALUES ('ch', 'Switzerland')");
        Assert.ThrowsExactly<SqliteException>(() => db.Execute("INSERT INTO country(code, name) VALUES ('ch', 'again')"));
        Assert.ThrowsExactly<SqliteException>(() => db.Execute("INSERT INTO country(code, name) VALUES (NULL, 'nowhere')"));
    }

    [TestMethod]
    public void CompositePrimaryKey()
    {
        using var db = TestDatabase.Create("""
            [PK(nameof(Year), nameof(Term))]
            public sealed record Semester(long Year, string Term, string Label);
            """, out var model);
        var table = model.Table("semester");
        CollectionAssert.AreEqual(new[] { "year", "term" }, table.PrimaryKey.ToArray());
        var lines = SchemaFixture.DefinitionLines(Ddl.CreateTable(table)).ToList();
        CollectionAssert.Contains(lines, "year INTEGER NOT NULL");
        CollectionAssert.Contains(lines, "term TEXT NOT NULL");
        CollectionAssert.Contains(lines, "PRIMARY KEY (year, term)");

        CollectionAssert.AreEqual(new[] { 1, 2, 0 }, db.Columns("semester").Select(c => c.Pk).ToArray());
        db.Execute("INSERT INTO semester VALUES (2024, 'spring', 'a')");
        db.Execute("INSERT INTO semester VALUES (2024, 'fall', 'b')");
        db.Execute("INSERT INTO semester VALUES (2025, 'spring', 'c')");
        Assert.ThrowsExactly<SqliteException>(() => db.Execute("INSERT INTO semester VALUES (2024, 'spring', 'd')"));
    }

    [TestMethod]
    public void AutoIncrementPrimaryKey()
    {
        using var db = TestDatabase.Create("""
            [AutoIncPK(nameof(Id))]
            public sealed record Student(long Id, string Name);
            """, out var model);
        var table = model.Table("student");
        Assert.IsTrue(table.AutoIncrement);
        CollectionAssert.Contains(SchemaFixture.DefinitionLines(Ddl.CreateTable(table)).ToList(), "id INTEGER PRIMARY KEY AUTOINCREMENT");

        StringAssert.Contains(db.SchemaSql("student"), "AUTOINCREMENT");
        Assert.AreEqual(1, db.Column("student", "id").Pk);
        db.Execute("INSERT INTO student(name) VALUES ('a')");
        db.Execute("INSERT INTO student(name) VALUES ('b')");
        db.Execute("DELETE FROM student WHERE name = 'b'");
        db.Execute("INSERT INTO student(name) VALUES ('c')");
        // AUTOINCREMENT never reuses a deleted key; a plain rowid would hand out 2 again.
        Assert.AreEqual(3L, db.Scalar("SELECT id FROM student WHERE name = 'c'"));
        Assert.AreEqual(3L, db.Scalar("SELECT seq FROM sqlite_sequence WHERE name = 'student'"));
    }

    [TestMethod]
    public void UniqueSingleColumn()
    {
        using var db = TestDatabase.Create("""
            [PK(nameof(Id))]
            [Unique(nameof(Email))]
            public sealed record Student(long Id, string Email);
            """, out var model);
        var table = model.Table("student");
        CollectionAssert.Contains(SchemaFixture.DefinitionLines(Ddl.CreateTable(table)).ToList(), "email TEXT NOT NULL UNIQUE");

        var unique = db.Indexes("student").Single(i => i.Origin == "u");
        Assert.IsTrue(unique.Unique);
        CollectionAssert.AreEqual(new[] { "email" }, unique.Columns.ToArray());
        db.Execute("INSERT INTO student VALUES (1, 'a@x')");
        Assert.ThrowsExactly<SqliteException>(() => db.Execute("INSERT INTO student VALUES (2, 'a@x')"));
    }

    [TestMethod]
    public void UniqueComposite()
    {
        using var db = TestDatabase.Create("""
            [PK(nameof(Id))]
            [Unique(nameof(Name), nameof(Age))]
            public sealed record Student(long Id, string Name, long Age);
            """, out var model);
        var table = model.Table("student");
        var lines = SchemaFixture.DefinitionLines(Ddl.CreateTable(table)).ToList();
        CollectionAssert.Contains(lines, "UNIQUE (name, age)");
        CollectionAssert.Contains(lines, "name TEXT NOT NULL");

        var unique = db.Indexes("student").Single(i => i.Origin == "u");
        CollectionAssert.AreEqual(new[] { "name", "age" }, unique.Columns.ToArray());
        db.Execute("INSERT INTO student VALUES (1, 'ann', 20)");
        db.Execute("INSERT INTO student VALUES (2, 'ann', 21)");
        Assert.ThrowsExactly<SqliteException>(() => db.Execute("INSERT INTO student VALUES (3, 'ann', 20)"));
    }

    [TestMethod]
    public void LiteralDefault()
    {
        using var db = TestDatabase.Create("""
            [PK(nameof(Id))]
            [Default(nameof(Active), "1")]
            [Default(nameof(Note), "'n/a'")]
            public sealed record Student(long Id, bool Active, string Note);
            """, out var model);
        var lines = SchemaFixture.DefinitionLines(Ddl.CreateTable(model.Table("student"))).ToList();
        CollectionAssert.Contains(lines, "active INTEGER NOT NULL DEFAULT 1");
        CollectionAssert.Contains(lines, "note TEXT NOT NULL DEFAULT 'n/a'");

        Assert.AreEqual("1", db.Column("student", "active").Default);
        Assert.AreEqual("'n/a'", db.Column("student", "note").Default);
        db.Execute("INSERT INTO student(id) VALUES (1)");
        var row = db.Rows("SELECT active, note FROM student").Single();
        Assert.AreEqual(1L, row[0]);
        Assert.AreEqual("n/a", row[1]);
    }

    [TestMethod]
    public void ExpressionDefault()
    {
        using var db = TestDatabase.Create("""
            [PK(nameof(Id))]
            [DefaultExpr(nameof(CreatedAt), "strftime('%Y-%m-%dT%H:%M:%SZ','now')")]
            public sealed record Student(long Id, DateTime CreatedAt);
            """, out var model);
        var column = model.Table("student").FindColumn("created_at")!;
        Assert.AreEqual("strftime('%Y-%m-%dT%H:%M:%SZ','now')", column.DefaultExpression);
        Assert.IsNull(column.Default);
        CollectionAssert.Contains(SchemaFixture.DefinitionLines(Ddl.CreateTable(model.Table("student"))).ToList(),
            "created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))");

        Assert.AreEqual("strftime('%Y-%m-%dT%H:%M:%SZ','now')", db.Column("student", "created_at").Default);
        db.Execute("INSERT INTO student(id) VALUES (1)");
        var value = (string)db.Scalar("SELECT created_at FROM student")!;
        StringAssert.Matches(value, new System.Text.RegularExpressions.Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
        var stored = DateTime.Parse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);
        Assert.IsLessThan(TimeSpan.FromMinutes(5), (DateTime.UtcNow - stored).Duration());
    }

    [TestMethod]
    public void SingleAndCompositeIndexes()
    {
        using var db = TestDatabase.Create("""
            [PK(nameof(Id))]
            [Index(nameof(Name))]
            [Index(nameof(Name), nameof(Age))]
            public sealed record Student(long Id, string Name, long Age);
            """, out var model);
        var table = model.Table("student");
        var statements = Ddl.Statements(model);
        CollectionAssert.Contains(statements.ToList(), "CREATE INDEX ix_student_name ON student(name)");
        CollectionAssert.Contains(statements.ToList(), "CREATE INDEX ix_student_name_age ON student(name, age)");
        Assert.IsGreaterThan(statements.ToList().IndexOf(Ddl.CreateTable(table)), statements.ToList().IndexOf("CREATE INDEX ix_student_name ON student(name)"));

        var indexes = db.Indexes("student").Where(i => i.Origin == "c").ToDictionary(i => i.Name);
        Assert.HasCount(2, indexes);
        Assert.IsFalse(indexes["ix_student_name"].Unique);
        CollectionAssert.AreEqual(new[] { "name" }, indexes["ix_student_name"].Columns.ToArray());
        CollectionAssert.AreEqual(new[] { "name", "age" }, indexes["ix_student_name_age"].Columns.ToArray());
    }

    [TestMethod]
    public void TableAndColumnOverrides()
    {
        using var db = TestDatabase.Create("""
            [PK(nameof(Id))]
            [Table("legacy_people")]
            [Index(nameof(Name))]
            public sealed record Person(long Id, [Column("full_name")] string Name);
            [PK(nameof(Id))]
            public sealed record Pet(long Id, [Column("owner")] Person Person);
            """, out var model);
        var person = model.Table("legacy_people");
        Assert.AreEqual("Person", person.ClrType);
        Assert.AreEqual("full_name", person.Columns[1].Name);
        Assert.AreEqual("Name", person.Columns[1].Property);
        Assert.AreEqual("ix_legacy_people_full_name", person.Indexes.Single().Name);
        StringAssert.StartsWith(Ddl.CreateTable(person), "CREATE TABLE legacy_people(");
        var petLines = SchemaFixture.DefinitionLines(Ddl.CreateTable(model.Table("pet"))).ToList();
        CollectionAssert.Contains(petLines, "owner_id INTEGER NOT NULL");
        CollectionAssert.Contains(petLines, "FOREIGN KEY (owner_id) REFERENCES legacy_people(id)");

        Assert.IsNull(db.ObjectType("person"));
        CollectionAssert.AreEqual(new[] { "id", "full_name" }, db.Columns("legacy_people").Select(c => c.Name).ToArray());
        Assert.AreEqual(new DbForeignKey(0, 0, "legacy_people", "owner_id", "id", "NO ACTION"), db.ForeignKeys("pet").Single());
        Assert.AreEqual("index", db.ObjectType("ix_legacy_people_full_name"));
    }

    [TestMethod]
    public void RenamedFromIsInTheModelButNotInTheSql()
    {
        const string plain = """
            [PK(nameof(Id))]
            public sealed record Student(long Id, string FullName);
            """;
        const string renamed = """
            [PK(nameof(Id))]
            [RenamedFrom("pupil")]
            public sealed record Student(long Id, [RenamedFrom("name")] string FullName);
            """;
        var before = SchemaFixture.Model(plain);
        using var db = TestDatabase.Create(renamed, out var after);
        var table = after.Table("student");
        Assert.AreEqual("pupil", table.RenamedFrom);
        Assert.AreEqual("name", table.FindColumn("full_name")!.RenamedFrom);
        Assert.IsNull(table.FindColumn("id")!.RenamedFrom);
        Assert.IsNull(before.Table("student").RenamedFrom);

        Assert.AreEqual(Ddl.Script(before), Ddl.Script(after));
        Assert.AreEqual(SchemaHash.Compute(before), SchemaHash.Compute(after));
        Assert.IsNull(db.ObjectType("pupil"));
        CollectionAssert.AreEqual(new[] { "id", "full_name" }, db.Columns("student").Select(c => c.Name).ToArray());
    }

    [TestMethod]
    public void KeywordNamesAreQuoted()
    {
        using var db = TestDatabase.Create("""
            [PK(nameof(Id))]
            [Index(nameof(Group))]
            public sealed record Order(long Id, string Group);
            [PK(nameof(Id))]
            public sealed record Line(long Id, Order Order);
            public static class Seeds
            {
                public static Order First => new(1, "a");
            }
            """, out var model);
        var order = model.Table("order");
        var sql = Ddl.CreateTable(order);
        StringAssert.StartsWith(sql, "CREATE TABLE \"order\"(");
        CollectionAssert.Contains(SchemaFixture.DefinitionLines(sql).ToList(), "\"group\" TEXT NOT NULL");
        CollectionAssert.Contains(Ddl.Statements(model).ToList(), "CREATE INDEX ix_order_group ON \"order\"(\"group\")");
        CollectionAssert.Contains(SchemaFixture.DefinitionLines(Ddl.CreateTable(model.Table("line"))).ToList(), "FOREIGN KEY (order_id) REFERENCES \"order\"(id)");
        StringAssert.StartsWith(Ddl.SeedUpsert(order), "INSERT INTO \"order\"(id, \"group\")");

        Assert.AreEqual("table", db.ObjectType("order"));
        Assert.AreEqual("a", db.Scalar("SELECT \"group\" FROM \"order\" WHERE id = 1"));
        Assert.AreEqual("order", db.ForeignKeys("line").Single().Table);
        db.Execute("INSERT INTO line(id, order_id) VALUES (1, 1)");
        Assert.ThrowsExactly<SqliteException>(() => db.Execute("INSERT INTO line(id, order_id) VALUES (2, 99)"));
    }
}
