using Mig.Schema;
using Mig.Tasks.Schema;

namespace Mig.Core.Tests;

/// <summary>Every schema error comes back with its code at the file and line of its cause.</summary>
[TestClass]
public sealed class ValidationTests
{
    private const string Student = """
        [PK(nameof(Id))]
        public sealed record Student(long Id, string Name);

        """;

    private static MigDiagnostic AssertError(string source, string code, string marker, params string[] mentions)
    {
        var d = SchemaFixture.Error(source);
        Assert.AreEqual(code, d.Code, d.Message);
        Assert.AreEqual(SchemaFixture.SourcePath, d.File, d.Message);
        Assert.AreEqual(SchemaFixture.LineOf(source, marker), d.Line, $"expected at '{marker}': {d.Format("test")}");
        Assert.IsGreaterThan(0, d.Column);
        foreach (var m in mentions) StringAssert.Contains(d.Message, m);
        return d;
    }

    [TestMethod]
    public void AttributeNamingAMissingProperty() => AssertError("""
        [PK(nameof(Id))]
        [Index(nameof(Name))]
        [Index("Nmae")]
        public sealed record Student(long Id, string Name);
        """, MigCode.MissingProperty, "[Index(\"Nmae\")]", "Nmae", "Student");

    [TestMethod]
    public void AnIndexNamingANullPropertyIsAnErrorNotACrash() => AssertError("""
        [PK(nameof(Id))]
        [Index(null!)]
        public sealed record Student(long Id, string Name);
        """, MigCode.InvalidAttribute, "[Index(null!)]", "Index");

    [TestMethod]
    public void QueryAttributeNamingAMissingProperty() => AssertError("""
        [PK(nameof(Id))]
        [SelectAll]
        [SelectBy("Email")]
        public sealed record Student(long Id, string Name);
        """, MigCode.MissingProperty, "[SelectBy(\"Email\")]", "Email");

    [TestMethod]
    public void ARecordWithoutPropertiesSaysItWouldHaveNoColumns() => AssertError(Student + """
        public sealed record Marker();
        """, MigCode.NoColumns, "public sealed record Marker", "Marker has no properties", "no columns");

    [TestMethod]
    public void AViewWithoutPropertiesSaysItWouldHaveNoColumns() => AssertError(Student + """
        [ViewSql("SELECT 1")]
        public sealed record Nothing();
        """, MigCode.NoColumns, "public sealed record Nothing", "View Nothing has no properties");

    [TestMethod]
    public void AColumnNamedRowIdWouldHideTheRowId() => AssertError("""
        [PK(nameof(Id))]
        public sealed record Item(
            long Id,
            long Rowid);
        """, MigCode.DuplicateName, "long Rowid", "Item.Rowid", "'rowid'");

    [TestMethod]
    public void UnsupportedPropertyType() => AssertError("""
        [PK(nameof(Id))]
        public sealed record Student(
            long Id,
            List<string> Tags);
        """, MigCode.UnsupportedType, "List<string> Tags", "Tags", "List<String>");

    [TestMethod]
    public void ErrorInANestedTypeOfANamespaceIsLocated() => AssertError("""
        namespace School.Schema;
        [PK(nameof(Id))]
        public sealed record Student(long Id);
        public abstract record StudentOpt
        {
            public sealed record WithTags(Student Student,
                Dictionary<string, int> Tags) : StudentOpt;
        }
        """, MigCode.UnsupportedType, "Dictionary<string, int> Tags", "WithTags.Tags", "Dictionary<String, Int32>");

    [TestMethod]
    public void ReferenceToATypeWithoutKey() => AssertError("""
        public sealed record Tag(string Name);
        [PK(nameof(Id))]
        public sealed record Post(
            long Id,
            Tag Tag);
        """, MigCode.ReferenceWithoutKey, "Tag Tag", "Post.Tag", "no primary key");

    [TestMethod]
    public void ReferencesToACompositeKeyTable() => AssertError(Student + """
        [PK(nameof(Student), nameof(Term))]
        public sealed record Enrollment(Student Student, string Term);
        [PK(nameof(Id))]
        public sealed record Grade(
            long Id,
            [References(typeof(Enrollment))] long EnrollmentId);
        """, MigCode.InexpressibleForeignKey, "long EnrollmentId", "composite key");

    [TestMethod]
    public void ReferencesWithTheWrongKeyType() => AssertError(Student + """
        [PK(nameof(Id))]
        public sealed record Grade(
            long Id,
            [References(typeof(Student))] string StudentId);
        """, MigCode.InexpressibleForeignKey, "string StudentId", "TEXT", "INTEGER");

    [TestMethod]
    public void CycleOfRecordTypedReferences() => AssertError("""
        [PK(nameof(Id))]
        public sealed record Alpha(long Id, Beta Beta);
        [PK(nameof(Id))]
        public sealed record Beta(long Id, Alpha Alpha);
        """, MigCode.ReferenceCycle, "record Alpha(", "Alpha -> Beta -> Alpha");

    [TestMethod]
    public void SelfReferenceByRecordIsACycle() => AssertError("""
        [PK(nameof(Id))]
        public sealed record Employee(long Id, Employee? Manager);
        """, MigCode.ReferenceCycle, "record Employee(", "Employee -> Employee", "[References(typeof(...))]");

    [TestMethod]
    public void DuplicateTableNames()
    {
        const string source = Student + """
            [PK(nameof(Id))]
            [Table("student")]
            public sealed record Pupil(long Id);
            """;
        var d = SchemaFixture.Error(source);
        Assert.AreEqual(MigCode.DuplicateName, d.Code);
        Assert.AreEqual(SchemaFixture.SourcePath, d.File);
        CollectionAssert.Contains(new[] { SchemaFixture.LineOf(source, "record Student("), SchemaFixture.LineOf(source, "record Pupil(") }, d.Line, d.Format("test"));
        StringAssert.Contains(d.Message, "'student'");
        StringAssert.Contains(d.Message, "Pupil");
        StringAssert.Contains(d.Message, "Student");
    }

    private const string School = Student + """
        [PK(nameof(Id))]
        public sealed record Course(long Id, string Title, Student Student);
        [PK(nameof(Id))]
        public sealed record Room(long Id, string Title);

        """;

    [TestMethod]
    public void UnresolvableViewColumn() => AssertError(School + """
        [View]
        [Join(typeof(Course), typeof(Student))]
        public sealed record CourseView(
            string Title,
            string Nickname);
        """, MigCode.UnresolvedViewColumn, "string Nickname", "Nickname", "course, student");

    [TestMethod]
    public void AmbiguousViewColumn() => AssertError(School + """
        [View]
        [Join(typeof(Course), typeof(Student))]
        public sealed record CourseView(
            string Title,
            long Id);
        """, MigCode.AmbiguousViewColumn, "long Id);", "course.id", "student.id");

    [TestMethod]
    public void JoinWithoutForeignKey() => AssertError(School + """
        [View]
        [Join(typeof(Course), typeof(Student))]
        [Join(typeof(Room), typeof(Course))]
        public sealed record CourseView(string StudentName);
        """, MigCode.JoinWithoutForeignKey, "[Join(typeof(Room), typeof(Course))]", "no foreign key");

    [TestMethod]
    public void ViewSqlWhoseColumnsDoNotMatch() => AssertError(School + """
        [SelectAll]
        [ViewSql("SELECT id AS student_id, name AS nick FROM student")]
        public sealed record StudentNames(long StudentId, string Name);
        """, MigCode.ViewSqlMismatch, "[ViewSql(", "missing: name", "not in the record: nick");

    [TestMethod]
    public void ViewSqlThatSqliteRejects() => AssertError(School + """
        [SelectAll]
        [ViewSql("SELECT id AS student_id FROM pupil")]
        public sealed record StudentIds(long StudentId);
        """, MigCode.ViewSqlMismatch, "[ViewSql(", "no such table", "pupil");

    [TestMethod]
    public void AutoIncrementOnAString() => AssertError("""
        [Index(nameof(Name))]
        [AutoIncPK(nameof(Code))]
        public sealed record Country(string Code, string Name);
        """, MigCode.InvalidKey, "[AutoIncPK(", "Country.Code", "integer");

    [TestMethod]
    public void OnDeleteSetNullOnANonNullableReference() => AssertError(Student + """
        [PK(nameof(Id))]
        [OnDeleteCascade(nameof(Mentor))]
        [OnDeleteSetNull(nameof(Student))]
        public sealed record Course(long Id, Student Student, Student? Mentor);
        """, MigCode.InvalidDeleteAction, "[OnDeleteSetNull(", "Course.Student", "nullable");

    [TestMethod]
    public void SeedForATableWithoutKey() => AssertError(Student + """
        public sealed record Tag(Student Student, string Name);
        public static class Seeds
        {
            public static readonly Student[] Students = [new(1, "ann")];
            public static readonly Tag[] Tags =
                [new(new Student(1, "ann"), "new")];
        }
        """, MigCode.InvalidSeed, "Tag[] Tags", "Seeds.Tags", "no primary key");

    [TestMethod]
    public void SeedFieldWhoseInitialiserThrows() => AssertError(Student + """
        public static class Seeds
        {
            public static readonly Student[] Students =
                Make();
            private static Student[] Make() => throw new InvalidOperationException("no students today");
        }
        """, MigCode.InvalidSeed, "Student[] Students", "Seeds.Students", "InvalidOperationException", "no students today");

    [TestMethod]
    public void SeedPropertyThatThrows() => AssertError(Student + """
        public static class Seeds
        {
            public static Student Admin =>
                throw new InvalidOperationException("no admin");
        }
        """, MigCode.InvalidSeed, "Student Admin", "Seeds.Admin", "InvalidOperationException", "no admin");

    [TestMethod]
    public void SeedThatBreaksAConstraint() => AssertError(Student + """
        [PK(nameof(Id))]
        public sealed record Course(long Id, Student Student);
        public static class Seeds
        {
            public static readonly Student[] Students = [new(1, "ann")];
            public static readonly Course[] Courses =
                [new(1, new Student(2, "ghost"))];
        }
        """, MigCode.InvalidSeed, "Course[] Courses", "Seeds.Courses", "student");

    [TestMethod]
    public void SeedWithANaNIsASeedError() => AssertError("""
        [PK(nameof(Id))]
        public sealed record Reading(long Id, double Value);
        public static class Seeds
        {
            public static readonly Reading[] Readings =
                [new(1, double.NaN)];
        }
        """, MigCode.InvalidSeed, "Reading[] Readings", "Seeds.Readings", "NaN");

    [TestMethod]
    public void CompileError() => AssertError("""
        [PK(nameof(Id))]
        public sealed record Student(long Id,
            strin Name);
        """, MigCode.CompileError, "strin Name", "CS0246", "strin");

    [TestMethod]
    public void DefaultExpressionWithASyntaxError() => AssertError("""
        [PK(nameof(Id))]
        [Default(nameof(Name), "'x'")]
        [DefaultExpr(nameof(At), "strftime('%Y', 'now'")]
        public sealed record Student(long Id, string Name, string At);
        """, MigCode.SqlRejected, "[DefaultExpr(", "student");

    [TestMethod]
    public void DefaultExpressionCallingAnUnknownFunction() => AssertError("""
        [PK(nameof(Id))]
        [DefaultExpr(nameof(Name), "lower('X')")]
        [DefaultExpr(nameof(At), "no_such_function()")]
        public sealed record Student(long Id, string Name, string At);
        """, MigCode.SqlRejected, "no_such_function()\")]", "no_such_function");

    [TestMethod]
    public void LiteralDefaultThatSqliteRejects() => AssertError("""
        [PK(nameof(Id))]
        [Default(nameof(Name), "'unterminated")]
        public sealed record Student(long Id, string Name);
        """, MigCode.SqlRejected, "[Default(", "student");

    [TestMethod]
    public void WriteQueryOnAView() => AssertError(School + """
        [View]
        [Join(typeof(Course), typeof(Student))]
        [SelectAll]
        [UpdateBy(nameof(Title))]
        public sealed record CourseView(string Title, string StudentName);
        """, MigCode.InvalidQuery, "[UpdateBy(", "read-only");

    [TestMethod]
    public void EveryErrorIsReportedNotJustTheFirst()
    {
        var result = SchemaFixture.Compile("""
            [PK(nameof(Id))]
            [Index("Nope")]
            public sealed record Student(long Id, List<int> Marks);
            """);
        Assert.IsFalse(result.Succeeded);
        CollectionAssert.AreEquivalent(new[] { MigCode.MissingProperty, MigCode.UnsupportedType }, result.Diagnostics.Select(d => d.Code).ToArray());
        Assert.IsNull(result.Model);
        Assert.IsNull(result.Hash);
    }
}
