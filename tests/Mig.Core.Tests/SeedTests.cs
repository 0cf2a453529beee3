using Microsoft.Data.Sqlite;
using Mig.Sql;

namespace Mig.Core.Tests;

[TestClass]
public sealed class SeedTests
{
    private const string Roles = """
        [PK(nameof(Id))]
        public sealed record Role(long Id, string Name);
        [PK(nameof(Id))]
        [OnDeleteCascade(nameof(Role))]
        public sealed record Grant(long Id, Role Role, string What);
        """;

    [TestMethod]
    public void StaticMembersBecomeRows()
    {
        using var db = TestDatabase.Create("""
            [PK(nameof(Id))]
            public sealed record Role(long Id, string Name);
            public static class Seeds
            {
                public const string Ignored = "not a seed";
                public static Role Admin => new(1, "admin");
                public static readonly Role[] Staff = [new(2, "teacher"), new(3, "clerk")];
                public static List<Role> More { get; } = [new(4, "guest")];
            }
            public static class MoreSeeds
            {
                public static readonly IEnumerable<Role> Extra = new[] { new Role(5, "auditor") };
            }
            """, out var model);
        CollectionAssert.AreEquivalent(new[] { "MoreSeeds.Extra", "Seeds.Admin", "Seeds.More", "Seeds.Staff" }, model.Seeds.Select(s => s.Source).ToArray());
        Assert.AreEqual(5, model.Seeds.Sum(s => s.Rows.Count));

        var rows = db.Rows("SELECT id, name FROM role ORDER BY id");
        CollectionAssert.AreEqual(new[] { "admin", "teacher", "clerk", "guest", "auditor" }, rows.Select(r => (string)r[1]!).ToArray());
        CollectionAssert.AreEqual(new[] { 1L, 2L, 3L, 4L, 5L }, rows.Select(r => (long)r[0]!).ToArray());
    }

    [TestMethod]
    public void ParentsAreWrittenBeforeChildrenWhateverTheDeclarationOrder()
    {
        using var db = TestDatabase.Create(Roles + """
            public static class Seeds
            {
                public static readonly Grant[] Grants = [new(1, Admin, "all"), new(2, new Role(2, "teacher"), "grades")];
                public static Role Admin => new(1, "admin");
                public static readonly Role[] Others = [new(2, "teacher")];
            }
            """, out var model);
        CollectionAssert.AreEqual(new[] { "role", "role", "grant" }, model.Seeds.Select(s => s.Table).ToArray());
        var grants = model.Seeds.Single(s => s.Table == "grant");
        CollectionAssert.AreEqual(new[] { "id", "role_id", "what" }, grants.Columns.ToArray());
        CollectionAssert.AreEqual(new object[] { 1L, 1L, "all" }, grants.Rows[0].ToArray());
        Assert.AreEqual(2L, db.Scalar("SELECT count(*) FROM \"grant\""));
        Assert.AreEqual(2L, db.Scalar("SELECT count(*) FROM role"));

        // Written statement by statement with foreign keys enforced, every insert is
        // checked when it runs: the model order must put parents first...
        using var fresh = new SqliteConnection("Data Source=:memory:;Foreign Keys=True");
        fresh.Open();
        SchemaWriter.CreateObjects(fresh, model);
        SchemaWriter.WriteSeeds(fresh, model);
        // ...and the reverse order really is caught.
        using var reversed = new SqliteConnection("Data Source=:memory:;Foreign Keys=True");
        reversed.Open();
        SchemaWriter.CreateObjects(reversed, model);
        Assert.ThrowsExactly<SqliteException>(() => SchemaWriter.WriteSeeds(reversed, model with { Seeds = [.. model.Seeds.Reverse()] }));
    }

    [TestMethod]
    public void SeedsAreUpsertedByKeySoChildrenOfASeededParentSurvive()
    {
        using var db = TestDatabase.Create(Roles + """
            public static class Seeds
            {
                public static readonly Role[] Roles = [new(1, "admin"), new(2, "teacher")];
            }
            """, out var model);
        var upsert = Ddl.SeedUpsert(model.Table("role"));
        Assert.AreEqual("INSERT INTO role(id, name) VALUES (@p0, @p1) ON CONFLICT(id) DO UPDATE SET name = excluded.name", upsert);
        Assert.IsFalse(upsert.Contains("REPLACE", StringComparison.OrdinalIgnoreCase));

        db.Execute("INSERT INTO \"grant\"(id, role_id, what) VALUES (1, 1, 'all'), (2, 2, 'grades')");
        var changed = SchemaFixture.Model(Roles + """
            public static class Seeds
            {
                public static readonly Role[] Roles = [new(1, "administrator"), new(2, "teacher"), new(3, "clerk")];
            }
            """);
        using (var txn = db.Connection.BeginTransaction())
        {
            SchemaWriter.WriteSeeds(db.Connection, changed);
            txn.Commit();
        }
        CollectionAssert.AreEqual(new[] { "administrator", "teacher", "clerk" }, db.Rows("SELECT name FROM role ORDER BY id").Select(r => (string)r[0]!).ToArray());
        Assert.AreEqual(2L, db.Scalar("SELECT count(*) FROM \"grant\""), "the cascade must not fire for an updated seed row");

        // The hazard the upsert avoids is real in this database: REPLACE deletes the children.
        db.Execute("INSERT OR REPLACE INTO role(id, name) VALUES (2, 'teacher')");
        Assert.AreEqual(1L, db.Scalar("SELECT count(*) FROM \"grant\""));
    }

    [TestMethod]
    public void SeedValuesAreBound()
    {
        using var db = TestDatabase.Create("""
            [PK(nameof(Id))]
            public sealed record Person(long Id, string Name);
            public static class Seeds
            {
                public static readonly Person[] People = [new(1, "O'Brien"), new(2, "x'); DROP TABLE person; --"), new(3, "@p0")];
            }
            """, out _);
        CollectionAssert.AreEqual(new[] { "O'Brien", "x'); DROP TABLE person; --", "@p0" },
            db.Rows("SELECT name FROM person ORDER BY id").Select(r => (string)r[0]!).ToArray());
    }

    [TestMethod]
    public void ReferenceSeedsStoreTheReferencedKey()
    {
        using var db = TestDatabase.Create("""
            [PK(nameof(Student), nameof(Term))]
            public sealed record Enrollment(Student Student, string Term);
            [PK(nameof(Id))]
            public sealed record Student(long Id, string Name, [References(typeof(Student))] long? BuddyId);
            [PK(nameof(Id))]
            public sealed record Grade(long Id, Enrollment Enrollment, Student? Reviewer);
            public static class Seeds
            {
                public static Student Ann => new(1, "ann", 2);
                public static Student Bob => new(2, "bob", 1);
                public static Enrollment Spring => new(Ann, "spring");
                public static Grade First => new(7, Spring, null);
            }
            """, out _);
        CollectionAssert.AreEqual(new object?[] { 7L, 1L, "spring", null }, db.Rows("SELECT id, enrollment_student_id, enrollment_term, reviewer_id FROM grade").Single());
        CollectionAssert.AreEqual(new object?[] { 2L, 1L }, db.Rows("SELECT buddy_id FROM student ORDER BY id").Select(r => r[0]).ToArray());
        Assert.IsEmpty(db.Rows("PRAGMA foreign_key_check"));
    }
}
