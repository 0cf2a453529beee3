using System.Text.RegularExpressions;
using Mig.Sql;

namespace Mig.Core.Tests;

/// <summary>The example of docs/dsl.md becomes the SQL docs/dsl.md shows.</summary>
[TestClass]
public sealed partial class SpecExampleTests
{
    private const string Example = """
        using Mig;
        namespace School.Schema;

        [AutoIncPK(nameof(Id))]
        [Unique(nameof(Email))]
        [Index(nameof(Name), nameof(Age))]
        [SelectAll, UpdateBy(nameof(Id)), DeleteBy(nameof(Id))]
        [SelectBy(nameof(Name), nameof(Age), OrderBy = "Name DESC")]
        [SelectLike(nameof(Name))]
        [SelectOneBy(nameof(Email))]
        public sealed record Student(long Id, string Name, long Age, string Email);

        [AutoIncPK(nameof(Id))]
        [OnDeleteCascade(nameof(Student))]
        public sealed record Course(long Id, string Title, Student Student);

        public sealed record CourseGrade(Course Course, double Grade);

        // the C# form of a discriminated union: one extension table per case
        public abstract record StudentOpt
        {
            public sealed record WithPhone(Student Student, string Phone) : StudentOpt;
            public sealed record WithAddress(Student Student, string Street, string City) : StudentOpt;
        }

        [View]
        [Join(typeof(Course), typeof(Student))]
        [Join(typeof(CourseGrade), typeof(Course))]
        [SelectBy(nameof(StudentId))]
        public sealed record StudentCourseGrade(long StudentId, string StudentName, string Title, double Grade);
        """;

    private const string ExpectedSql = """
        CREATE TABLE student(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, age INTEGER NOT NULL, email TEXT NOT NULL UNIQUE);
        CREATE INDEX ix_student_name_age ON student(name, age);
        CREATE TABLE course(id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, student_id INTEGER NOT NULL,
          FOREIGN KEY (student_id) REFERENCES student(id) ON DELETE CASCADE);
        CREATE TABLE course_grade(course_id INTEGER NOT NULL, grade REAL NOT NULL, FOREIGN KEY (course_id) REFERENCES course(id));
        CREATE TABLE student_phone(student_id INTEGER NOT NULL PRIMARY KEY, phone TEXT NOT NULL, FOREIGN KEY (student_id) REFERENCES student(id));
        CREATE TABLE student_address(student_id INTEGER NOT NULL PRIMARY KEY, street TEXT NOT NULL, city TEXT NOT NULL, FOREIGN KEY (student_id) REFERENCES student(id));
        CREATE VIEW student_course_grade AS
        SELECT student.id AS student_id, student.name AS student_name, course.title AS title, course_grade.grade AS grade
        FROM course JOIN student ON course.student_id = student.id JOIN course_grade ON course_grade.course_id = course.id;
        """;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();

    // Layout is free; words, names and punctuation are not.
    private static string Normalize(string sql) =>
        Space().Replace(sql, " ").Trim().TrimEnd(';').Replace("( ", "(", StringComparison.Ordinal).Replace(" )", ")", StringComparison.Ordinal);

    [TestMethod]
    public void ExampleBecomesTheSqlOfTheSpec()
    {
        using var db = TestDatabase.Create(Example, out var model);
        var expected = ExpectedSql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Normalize).ToList();
        var actual = Ddl.Statements(model).Select(Normalize).ToList();
        CollectionAssert.AreEquivalent(expected, actual, "actual:\n" + string.Join("\n", actual));
        Assert.AreEqual(string.Join("\n\n", Ddl.Statements(model).Select(s => s + ";")) + "\n", Ddl.Script(model));

        // What SQLite stored is what the script said, object by object.
        foreach (var statement in Ddl.Statements(model))
        {
            var name = statement.Split(' ', '(')[2];
            Assert.AreEqual(Normalize(statement), Normalize(db.SchemaSql(name)!));
        }
        Assert.AreEqual("School.Schema.StudentOpt", model.Table("student_phone").ExtensionOf);
    }
}
