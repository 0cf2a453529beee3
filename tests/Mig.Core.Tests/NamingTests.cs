using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests;

[TestClass]
public sealed class NamingTests
{
    [TestMethod]
    [DataRow("Student", "student")]
    [DataRow("CourseGrade", "course_grade")]
    [DataRow("AuthPlatform", "auth_platform")]
    [DataRow("ISBN", "isbn")]
    [DataRow("HTTPStatus", "http_status")]
    [DataRow("CreatedAt", "created_at")]
    [DataRow("UserId", "user_id")]
    [DataRow("Line2Text", "line2_text")]
    [DataRow("IOStream", "io_stream")]
    [DataRow("Id", "id")]
    public void SnakeCase(string name, string expected) => Assert.AreEqual(expected, Naming.ToSnakeCase(name));

    [TestMethod]
    [DataRow("WithPhone", "student_phone")]
    [DataRow("WithEmailAddress", "student_email_address")]
    [DataRow("Without", "student_without")]
    [DataRow("Phone", "student_phone")]
    public void ExtensionTableName(string caseName, string expected) => Assert.AreEqual(expected, Naming.ExtensionTable("student", caseName));

    [TestMethod]
    public void TableAndColumnNamesInTheDatabaseAreSnakeCase()
    {
        const string source = """
            [PK(nameof(ISBN))]
            public sealed record CourseGrade(string ISBN, DateTime CreatedAt, long HTTPStatus);
            """;
        using var db = TestDatabase.Create(source, out var model);
        var table = model.Table("course_grade");
        CollectionAssert.AreEqual(new[] { "isbn", "created_at", "http_status" }, table.Columns.Select(c => c.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "CreatedAt" }, table.Columns.Where(c => c.Name == "created_at").Select(c => c.Property).ToArray());
        StringAssert.StartsWith(Ddl.CreateTable(table), "CREATE TABLE course_grade(");
        Assert.AreEqual("table", db.ObjectType("course_grade"));
        CollectionAssert.AreEqual(new[] { "isbn", "created_at", "http_status" }, db.Columns("course_grade").Select(c => c.Name).ToArray());
    }

    [TestMethod]
    public void ExtensionCasesBecomeTablesNamedAfterTheBaseTable()
    {
        const string source = """
            [PK(nameof(Id))]
            public sealed record Student(long Id, string Name);
            public abstract record StudentOpt
            {
                public sealed record WithPhone(Student Student, string Phone) : StudentOpt;
                public sealed record WithEmailAddress(Student Student, string Email) : StudentOpt;
            }
            """;
        using var db = TestDatabase.Create(source, out var model);
        CollectionAssert.AreEquivalent(new[] { "student", "student_phone", "student_email_address" }, model.Tables.Select(t => t.Name).ToArray());
        Assert.AreEqual("table", db.ObjectType("student_phone"));
        Assert.AreEqual("table", db.ObjectType("student_email_address"));
        Assert.IsNull(db.ObjectType("student_opt"), "an abstract record is never a table");
    }

    [TestMethod]
    public void IndexNamesJoinTableAndColumns()
    {
        const string source = """
            [PK(nameof(Id))]
            [Index(nameof(Name))]
            [Index(nameof(LastName), nameof(BirthYear))]
            public sealed record Student(long Id, string Name, string LastName, long BirthYear);
            """;
        using var db = TestDatabase.Create(source, out var model);
        var table = model.Table("student");
        CollectionAssert.AreEqual(new[] { "ix_student_name", "ix_student_last_name_birth_year" }, table.Indexes.Select(i => i.Name).ToArray());
        Assert.AreEqual("ix_student_a_b", Naming.Index("student", ["a", "b"]));
        CollectionAssert.AreEquivalent(new[] { "ix_student_name", "ix_student_last_name_birth_year" },
            db.Indexes("student").Where(i => i.Origin == "c").Select(i => i.Name).ToArray());
    }
}
