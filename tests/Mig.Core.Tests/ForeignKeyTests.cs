using Microsoft.Data.Sqlite;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests;

[TestClass]
public sealed class ForeignKeyTests
{
    private const string StudentSchema = """
        [PK(nameof(Id))]
        public sealed record Student(long Id, string Name);
        """;

    [TestMethod]
    public void RecordTypedPropertyIsAForeignKey()
    {
        using var db = TestDatabase.Create(StudentSchema + """
            [PK(nameof(Id))]
            public sealed record Course(long Id, string Title, Student Student);
            """, out var model);
        var course = model.Table("course");
        var fk = course.ForeignKeys.Single();
        Assert.AreEqual("Student", fk.Property);
        Assert.IsTrue(fk.Embedded);
        Assert.AreEqual(OnDelete.NoAction, fk.OnDelete);
        Assert.AreEqual("id", course.FindColumn("student_id")!.ReferencedColumn);
        CollectionAssert.AreEqual(new[] { "id INTEGER PRIMARY KEY", "title TEXT NOT NULL", "student_id INTEGER NOT NULL", "FOREIGN KEY (student_id) REFERENCES student(id)" },
            SchemaFixture.DefinitionLines(Ddl.CreateTable(course)).ToArray());
        CollectionAssert.AreEqual(new[] { "student", "course" }, model.Tables.Select(t => t.Name).ToArray(), "parents are created first");

        Assert.AreEqual(new DbForeignKey(0, 0, "student", "student_id", "id", "NO ACTION"), db.ForeignKeys("course").Single());
        Assert.AreEqual(new DbColumn("student_id", "INTEGER", true, null, 0), db.Column("course", "student_id"));
        db.Execute("INSERT INTO student VALUES (1, 'ann')");
        db.Execute("INSERT INTO course VALUES (1, 'math', 1)");
        Assert.ThrowsExactly<SqliteException>(() => db.Execute("INSERT INTO course VALUES (2, 'art', 2)"));
        Assert.ThrowsExactly<SqliteException>(() => db.Execute("DELETE FROM student WHERE id = 1"));
    }

    [TestMethod]
    public void ForeignKeyColumnIsNamedAfterThePropertyNotTheType()
    {
        using var db = TestDatabase.Create(StudentSchema + """
            [PK(nameof(Code))]
            public sealed record Room(string Code);
            [PK(nameof(Id))]
            public sealed record Course(long Id, Student Teacher, Student? Assistant, Room HomeRoom);
            """, out var model);
        var lines = SchemaFixture.DefinitionLines(Ddl.CreateTable(model.Table("course"))).ToList();
        CollectionAssert.AreEqual(new[] { "id INTEGER PRIMARY KEY", "teacher_id INTEGER NOT NULL", "assistant_id INTEGER", "home_room_code TEXT NOT NULL",
                "FOREIGN KEY (teacher_id) REFERENCES student(id)", "FOREIGN KEY (assistant_id) REFERENCES student(id)", "FOREIGN KEY (home_room_code) REFERENCES room(code)" },
            lines.ToArray());
        CollectionAssert.AreEquivalent(new[] { ("student", "teacher_id", "id"), ("student", "assistant_id", "id"), ("room", "home_room_code", "code") },
            db.ForeignKeys("course").Select(f => (f.Table, f.From, f.To)).ToArray());
    }

    [TestMethod]
    public void OnDeleteCascadeDeletesChildren()
    {
        using var db = TestDatabase.Create(StudentSchema + """
            [PK(nameof(Id))]
            [OnDeleteCascade(nameof(Student))]
            public sealed record Course(long Id, Student Student);
            """, out var model);
        Assert.AreEqual(OnDelete.Cascade, model.Table("course").ForeignKeys.Single().OnDelete);
        CollectionAssert.Contains(SchemaFixture.DefinitionLines(Ddl.CreateTable(model.Table("course"))).ToList(),
            "FOREIGN KEY (student_id) REFERENCES student(id) ON DELETE CASCADE");

        Assert.AreEqual("CASCADE", db.ForeignKeys("course").Single().OnDelete);
        db.Execute("INSERT INTO student VALUES (1, 'ann'), (2, 'bob')");
        db.Execute("INSERT INTO course VALUES (1, 1), (2, 1), (3, 2)");
        db.Execute("DELETE FROM student WHERE id = 1");
        Assert.AreEqual(1L, db.Scalar("SELECT count(*) FROM course"));
        Assert.AreEqual(3L, db.Scalar("SELECT id FROM course"));
    }

    [TestMethod]
    public void OnDeleteSetNullNullsChildren()
    {
        using var db = TestDatabase.Create(StudentSchema + """
            [PK(nameof(Id))]
            [OnDeleteSetNull(nameof(Student))]
            public sealed record Course(long Id, Student? Student);
            """, out var model);
        var course = model.Table("course");
        Assert.AreEqual(OnDelete.SetNull, course.ForeignKeys.Single().OnDelete);
        Assert.IsFalse(course.FindColumn("student_id")!.NotNull);
        var lines = SchemaFixture.DefinitionLines(Ddl.CreateTable(course)).ToList();
        CollectionAssert.Contains(lines, "student_id INTEGER");
        CollectionAssert.Contains(lines, "FOREIGN KEY (student_id) REFERENCES student(id) ON DELETE SET NULL");

        Assert.AreEqual("SET NULL", db.ForeignKeys("course").Single().OnDelete);
        db.Execute("INSERT INTO student VALUES (1, 'ann'), (2, 'bob')");
        db.Execute("INSERT INTO course VALUES (1, 1), (2, 2)");
        db.Execute("DELETE FROM student WHERE id = 1");
        Assert.AreEqual(2L, db.Scalar("SELECT count(*) FROM course"));
        Assert.IsNull(db.Scalar("SELECT student_id FROM course WHERE id = 1"));
        Assert.AreEqual(2L, db.Scalar("SELECT student_id FROM course WHERE id = 2"));
    }

    [TestMethod]
    public void ReferenceToCompositeKeyIsOneColumnPerKeyColumn()
    {
        using var db = TestDatabase.Create(StudentSchema + """
            [PK(nameof(Student), nameof(Term))]
            public sealed record Enrollment(Student Student, string Term);
            [PK(nameof(Id))]
            public sealed record Grade(long Id, Enrollment Enrollment, double Value);
            """, out var model);
        var enrollment = model.Table("enrollment");
        CollectionAssert.AreEqual(new[] { "student_id", "term" }, enrollment.PrimaryKey.ToArray());
        var grade = model.Table("grade");
        var fk = grade.ForeignKeys.Single();
        CollectionAssert.AreEqual(new[] { "enrollment_student_id", "enrollment_term" }, fk.Columns.ToArray());
        CollectionAssert.AreEqual(new[] { "student_id", "term" }, fk.ReferencedColumns.ToArray());
        CollectionAssert.AreEqual(new[] { "id INTEGER PRIMARY KEY", "enrollment_student_id INTEGER NOT NULL", "enrollment_term TEXT NOT NULL", "value REAL NOT NULL",
                "FOREIGN KEY (enrollment_student_id, enrollment_term) REFERENCES enrollment(student_id, term)" },
            SchemaFixture.DefinitionLines(Ddl.CreateTable(grade)).ToArray());
        CollectionAssert.AreEqual(new[] { "student", "enrollment", "grade" }, model.Tables.Select(t => t.Name).ToArray());

        CollectionAssert.AreEqual(new[]
            {
                new DbForeignKey(0, 0, "enrollment", "enrollment_student_id", "student_id", "NO ACTION"),
                new DbForeignKey(0, 1, "enrollment", "enrollment_term", "term", "NO ACTION"),
            }, db.ForeignKeys("grade").ToArray());
        db.Execute("INSERT INTO student VALUES (1, 'ann')");
        db.Execute("INSERT INTO enrollment VALUES (1, 'spring')");
        db.Execute("INSERT INTO grade VALUES (1, 1, 'spring', 5.5)");
        Assert.ThrowsExactly<SqliteException>(() => db.Execute("INSERT INTO grade VALUES (2, 1, 'fall', 4.0)"));
    }

    [TestMethod]
    public void ReferencesAttributeOnKeyTypedPropertyIncludingSelfReference()
    {
        using var db = TestDatabase.Create(StudentSchema + """
            [PK(nameof(Id))]
            public sealed record Employee(long Id, string Name, [References(typeof(Employee))] long? ManagerId, [References(typeof(Student))] long MentorOf);
            """, out var model);
        var employee = model.Table("employee");
        var manager = employee.ForeignKeys.Single(f => f.Property == "ManagerId");
        Assert.IsFalse(manager.Embedded);
        Assert.AreEqual("employee", manager.ReferencedTable);
        CollectionAssert.AreEqual(new[] { "manager_id" }, manager.Columns.ToArray());
        var lines = SchemaFixture.DefinitionLines(Ddl.CreateTable(employee)).ToList();
        CollectionAssert.Contains(lines, "manager_id INTEGER");
        CollectionAssert.Contains(lines, "mentor_of INTEGER NOT NULL");
        CollectionAssert.Contains(lines, "FOREIGN KEY (manager_id) REFERENCES employee(id)");
        CollectionAssert.Contains(lines, "FOREIGN KEY (mentor_of) REFERENCES student(id)");

        var fks = db.ForeignKeys("employee");
        CollectionAssert.AreEquivalent(new[] { ("employee", "manager_id", "id"), ("student", "mentor_of", "id") },
            fks.Select(f => (f.Table, f.From, f.To)).ToArray());
        db.Execute("INSERT INTO student VALUES (1, 'ann')");
        db.Execute("INSERT INTO employee VALUES (1, 'boss', NULL, 1)");
        db.Execute("INSERT INTO employee VALUES (2, 'worker', 1, 1)");
        Assert.ThrowsExactly<SqliteException>(() => db.Execute("INSERT INTO employee VALUES (3, 'lost', 42, 1)"));
    }

    [TestMethod]
    public void AssociationTableWithoutKey()
    {
        using var db = TestDatabase.Create(StudentSchema + """
            public sealed record StudentEmail(Student Student, string Email);
            """, out var model);
        var table = model.Table("student_email");
        Assert.IsEmpty(table.PrimaryKey);
        CollectionAssert.AreEqual(new[] { "student_id INTEGER NOT NULL", "email TEXT NOT NULL", "FOREIGN KEY (student_id) REFERENCES student(id)" },
            SchemaFixture.DefinitionLines(Ddl.CreateTable(table)).ToArray());

        Assert.IsTrue(db.Columns("student_email").All(c => c.Pk == 0));
        Assert.AreEqual(new DbForeignKey(0, 0, "student", "student_id", "id", "NO ACTION"), db.ForeignKeys("student_email").Single());
        db.Execute("INSERT INTO student VALUES (1, 'ann')");
        db.Execute("INSERT INTO student_email VALUES (1, 'a@x'), (1, 'b@x')");
        Assert.AreEqual(2L, db.Scalar("SELECT count(*) FROM student_email"));
    }

    [TestMethod]
    public void ExtensionTablesAreKeyedByTheRowTheyExtend()
    {
        using var db = TestDatabase.Create(StudentSchema + """
            public abstract record StudentOpt
            {
                public sealed record WithPhone(Student Student, string Phone) : StudentOpt;
                public sealed record WithAddress(Student Student, string Street, string City) : StudentOpt;
            }
            """, out var model);
        var phone = model.Table("student_phone");
        Assert.AreEqual("StudentOpt", phone.ExtensionOf);
        Assert.AreEqual("StudentOpt+WithPhone", phone.ClrType);
        CollectionAssert.AreEqual(new[] { "student_id" }, phone.PrimaryKey.ToArray());
        CollectionAssert.AreEqual(new[] { "student_id INTEGER NOT NULL PRIMARY KEY", "phone TEXT NOT NULL", "FOREIGN KEY (student_id) REFERENCES student(id)" },
            SchemaFixture.DefinitionLines(Ddl.CreateTable(phone)).ToArray());
        CollectionAssert.AreEqual(new[] { "student_id INTEGER NOT NULL PRIMARY KEY", "street TEXT NOT NULL", "city TEXT NOT NULL", "FOREIGN KEY (student_id) REFERENCES student(id)" },
            SchemaFixture.DefinitionLines(Ddl.CreateTable(model.Table("student_address"))).ToArray());

        Assert.AreEqual(new DbColumn("student_id", "INTEGER", true, null, 1), db.Column("student_phone", "student_id"));
        Assert.AreEqual(new DbForeignKey(0, 0, "student", "student_id", "id", "NO ACTION"), db.ForeignKeys("student_address").Single());
        db.Execute("INSERT INTO student VALUES (1, 'ann')");
        db.Execute("INSERT INTO student_phone VALUES (1, '555')");
        Assert.ThrowsExactly<SqliteException>(() => db.Execute("INSERT INTO student_phone VALUES (1, '556')"), "a student has at most one phone row");
        Assert.ThrowsExactly<SqliteException>(() => db.Execute("INSERT INTO student_phone VALUES (2, '557')"), "the extended row must exist");
    }

    [TestMethod]
    public void TablesAreOrderedParentsFirst()
    {
        var model = SchemaFixture.Model("""
            [PK(nameof(Id))] public sealed record A(long Id, B B, [References(typeof(C))] long CId);
            [PK(nameof(Id))] public sealed record B(long Id, C C);
            [PK(nameof(Id))] public sealed record C(long Id, [References(typeof(A))] long? AId);
            [PK(nameof(Id))] public sealed record D(long Id);
            """);
        var order = model.Tables.Select(t => t.Name).ToList();
        foreach (var t in model.Tables)
            foreach (var fk in t.ForeignKeys.Where(f => f.Embedded))
                Assert.IsLessThan(order.IndexOf(t.Name), order.IndexOf(fk.ReferencedTable), $"{fk.ReferencedTable} before {t.Name}");
        CollectionAssert.AreEquivalent(new[] { "a", "b", "c", "d" }, order);
    }
}
