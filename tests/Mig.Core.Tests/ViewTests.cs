using Mig.Sql;

namespace Mig.Core.Tests;

[TestClass]
public sealed class ViewTests
{
    private const string School = """
        [AutoIncPK(nameof(Id))]
        public sealed record Student(long Id, string Name, long Age, string Email);
        [AutoIncPK(nameof(Id))]
        [OnDeleteCascade(nameof(Student))]
        public sealed record Course(long Id, string Title, Student Student);
        public sealed record CourseGrade(Course Course, double Grade);
        """;

    private static void InsertSchool(TestDatabase db)
    {
        db.Execute("INSERT INTO student(id, name, age, email) VALUES (1, 'ann', 20, 'a@x'), (2, 'bob', 21, 'b@x')");
        db.Execute("INSERT INTO course(id, title, student_id) VALUES (10, 'math', 1), (11, 'art', 2), (12, 'law', 1)");
        db.Execute("INSERT INTO course_grade(course_id, grade) VALUES (10, 5.5), (11, 4.0), (12, 6.0)");
    }

    [TestMethod]
    public void JoinViewHasTheSqlOfTheSpecAndReturnsJoinedRows()
    {
        using var db = TestDatabase.Create(School + """
            [View]
            [Join(typeof(Course), typeof(Student))]
            [Join(typeof(CourseGrade), typeof(Course))]
            [SelectBy(nameof(StudentId))]
            public sealed record StudentCourseGrade(long StudentId, string StudentName, string Title, double Grade);
            """, out var model);
        var view = model.Views.Single();
        Assert.AreEqual("student_course_grade", view.Name);
        Assert.IsTrue(view.Synthesised);
        Assert.AreEqual("""
            CREATE VIEW student_course_grade AS
            SELECT student.id AS student_id, student.name AS student_name, course.title AS title, course_grade.grade AS grade
            FROM course JOIN student ON course.student_id = student.id JOIN course_grade ON course_grade.course_id = course.id
            """.ReplaceLineEndings("\n"), Ddl.CreateView(view));
        CollectionAssert.AreEqual(new[] { ("student_id", "student", "id"), ("student_name", "student", "name"), ("title", "course", "title"), ("grade", "course_grade", "grade") },
            view.Columns.Select(c => (c.Name, c.SourceTable, c.SourceColumn)).ToArray());
        Assert.AreEqual(Ddl.CreateView(view), Ddl.Statements(model)[^1], "views come after the tables they read");

        Assert.AreEqual("view", db.ObjectType("student_course_grade"));
        CollectionAssert.AreEqual(new[] { "student_id", "student_name", "title", "grade" }, db.Columns("student_course_grade").Select(c => c.Name).ToArray());
        InsertSchool(db);
        var rows = db.Rows("SELECT student_id, student_name, title, grade FROM student_course_grade ORDER BY title");
        Assert.HasCount(3, rows);
        CollectionAssert.AreEqual(new object[] { 2L, "bob", "art", 4.0 }, rows[0]);
        CollectionAssert.AreEqual(new object[] { 1L, "ann", "law", 6.0 }, rows[1]);
        CollectionAssert.AreEqual(new object[] { 1L, "ann", "math", 5.5 }, rows[2]);
    }

    [TestMethod]
    public void JoinConditionIsFoundInEitherDirection()
    {
        using var db = TestDatabase.Create(School + """
            [View]
            [Join(typeof(Student), typeof(Course))]
            public sealed record StudentCourse(string Name, string Title);
            """, out var model);
        StringAssert.EndsWith(model.Views.Single().Sql, "FROM student JOIN course ON course.student_id = student.id");
        InsertSchool(db);
        var rows = db.Rows("SELECT name, title FROM student_course ORDER BY title");
        CollectionAssert.AreEqual(new[] { "art", "law", "math" }, rows.Select(r => (string)r[1]!).ToArray());
        CollectionAssert.AreEqual(new[] { "bob", "ann", "ann" }, rows.Select(r => (string)r[0]!).ToArray());
    }

    [TestMethod]
    public void ViewSqlIsTakenVerbatim()
    {
        const string sql = "SELECT student.id AS student_id, count(course.id) AS course_count FROM student LEFT JOIN course ON course.student_id = student.id GROUP BY student.id";
        using var db = TestDatabase.Create(School + $$"""

            [ViewSql("{{sql}};")]
            public sealed record StudentCourseCount(long StudentId, long CourseCount);
            """, out var model);
        var view = model.Views.Single();
        Assert.IsFalse(view.Synthesised);
        Assert.AreEqual(sql, view.Sql, "taken verbatim, without the trailing semicolon");
        Assert.AreEqual("CREATE VIEW student_course_count AS\n" + sql, Ddl.CreateView(view));

        Assert.AreEqual("view", db.ObjectType("student_course_count"));
        InsertSchool(db);
        db.Execute("INSERT INTO student(id, name, age, email) VALUES (3, 'cid', 22, 'c@x')");
        var rows = db.Rows("SELECT student_id, course_count FROM student_course_count ORDER BY student_id");
        CollectionAssert.AreEqual(new[] { 2L, 1L, 0L }, rows.Select(r => (long)r[1]!).ToArray());
    }
}
