using Mig.Schema;
using Mig.Tasks.Schema;

namespace Mig.Core.Tests;

/// <summary>Schema errors that only query attributes can cause, at the file and line of their cause.</summary>
[TestClass]
public sealed class QueryValidationTests
{
    private static void AssertError(string source, string code, string marker, params string[] mentions)
    {
        var d = SchemaFixture.Error(source);
        Assert.AreEqual(code, d.Code, d.Message);
        Assert.AreEqual(SchemaFixture.SourcePath, d.File, d.Message);
        Assert.AreEqual(SchemaFixture.LineOf(source, marker), d.Line, $"expected at '{marker}': {d.Format("test")}");
        foreach (var m in mentions) StringAssert.Contains(d.Message, m);
    }

    [TestMethod]
    public void AGeneratedNameThatTheRecordDeclaresItselfIsAnError() => AssertError("""
        [PK(nameof(Id))]
        [SelectAll]
        public sealed record Student(long Id, string Name)
        {
            public static int SelectAllAsync() => 0;
        }
        """, MigCode.QueryNameCollision, "[SelectAll]", "SelectAllAsync", "hide");

    [TestMethod]
    public void AMemberNamedLikeTheInsertIsAnError() => AssertError("""
        [PK(nameof(Id))]
        public sealed record Student(long Id, string Name)
        {
            public void InsertAsync() { }
        }
        """, MigCode.QueryNameCollision, "public void InsertAsync", "InsertAsync");

    [TestMethod]
    public void TwoAttributesWithOneMethodNameAreAnError() => AssertError("""
        [PK(nameof(Id))]
        [SelectAll(OrderBy = "Name")]
        [SelectAll(OrderBy = "Id")]
        public sealed record Student(long Id, string Name);
        """, MigCode.QueryNameCollision, "[SelectAll(OrderBy = \"Name\")]", "SelectAllAsync", "Two");

    [TestMethod]
    public void UpsertWithoutAKeyIsAnError() => AssertError("""
        [PK(nameof(Id))]
        public sealed record Student(long Id, string Name);
        [Upsert]
        public sealed record Note(Student Student, string Text);
        """, MigCode.InvalidQuery, "[Upsert]", "primary key");

    [TestMethod]
    public void SelectLikeOnANumberIsAnError() => AssertError("""
        [PK(nameof(Id))]
        [SelectLike(nameof(Age))]
        public sealed record Student(long Id, long Age);
        """, MigCode.InvalidQuery, "[SelectLike(nameof(Age))]", "LIKE");

    [TestMethod]
    public void UpdateByEveryColumnIsAnError() => AssertError("""
        [PK(nameof(Id))]
        [UpdateBy(nameof(Id), nameof(Name))]
        public sealed record Student(long Id, string Name);
        """, MigCode.InvalidQuery, "[UpdateBy(", "nothing left");

    [TestMethod]
    public void UpdateByLeavingOnlyTheAutoIncrementKeyIsAnError() => AssertError("""
        [AutoIncPK(nameof(Id))]
        [UpdateBy(nameof(Name))]
        public sealed record Tag(long Id, string Name);
        """, MigCode.InvalidQuery, "[UpdateBy(", "nothing left");

    [TestMethod]
    public void AnOrderByTermThatIsNotAPropertyIsAnError() => AssertError("""
        [PK(nameof(Id))]
        [SelectAll(OrderBy = "Nmae DESC")]
        public sealed record Student(long Id, string Name);
        """, MigCode.MissingProperty, "[SelectAll(", "Nmae");

    [TestMethod]
    public void AMalformedOrderByIsAnError() => AssertError("""
        [PK(nameof(Id))]
        [SelectAll(OrderBy = "Name DOWN")]
        public sealed record Student(long Id, string Name);
        """, MigCode.InvalidAttribute, "[SelectAll(", "DESC");

    [TestMethod]
    public void AMemberNamedLikeTheCountOrTheInsertOfManyIsAnError()
    {
        AssertError("""
            [PK(nameof(Id))]
            public sealed record Student(long Id, string Name)
            {
                public static long CountAsync() => 0;
            }
            """, MigCode.QueryNameCollision, "public static long CountAsync", "CountAsync");
        AssertError("""
            [PK(nameof(Id))]
            public sealed record Student(long Id, string Name)
            {
                public void InsertManyAsync() { }
            }
            """, MigCode.QueryNameCollision, "public void InsertManyAsync", "InsertManyAsync");
    }

    [TestMethod]
    public void ACountWithAnOrderIsAnError() => AssertError("""
        [PK(nameof(Id))]
        [CountBy(nameof(Name), OrderBy = "Id")]
        public sealed record Student(long Id, string Name);
        """, MigCode.InvalidAttribute, "[CountBy(", "no order");

    [TestMethod]
    [DataRow("UpdateBy(nameof(Id), OrderBy = \"Name\")", "[UpdateBy(")]
    [DataRow("DeleteBy(nameof(Name), OrderBy = \"Id DESC\")", "[DeleteBy(")]
    [DataRow("Upsert(OrderBy = \"Name\")", "[Upsert(")]
    [DataRow("InsertOrIgnore(OrderBy = \"Name\")", "[InsertOrIgnore(")]
    [DataRow("SelectByOrInsert(nameof(Name), OrderBy = \"Id\")", "[SelectByOrInsert(")]
    public void AnOrderThatWouldDoNothingIsAnError(string attribute, string marker) => AssertError($$"""
        [PK(nameof(Id))]
        [Unique(nameof(Name))]
        [{{attribute}}]
        public sealed record Student(long Id, string Name);
        """, MigCode.InvalidAttribute, marker, "OrderBy has no effect");

    [TestMethod]
    public void ACountByNoPropertyIsAnError() => AssertError("""
        [PK(nameof(Id))]
        [CountBy]
        public sealed record Student(long Id, string Name);
        """, MigCode.InvalidAttribute, "[CountBy]", "names no property");

    [TestMethod]
    public void APageByAKeyThatIsNotUniqueIsMig0023() => AssertError("""
        [AutoIncPK(nameof(Id))]
        [SelectPage(nameof(Name))]
        public sealed record Student(long Id, string Name);
        """, MigCode.InvalidPageKey, "[SelectPage(", "neither the primary key nor [Unique]", "[Unique(nameof(Name))]");

    [TestMethod]
    public void APageByOneColumnOfACompositeKeyOrOfACompositeUniqueIsMig0023()
    {
        AssertError("""
            [PK(nameof(A), nameof(B))]
            [SelectPage(nameof(A))]
            public sealed record Pair(long A, long B);
            """, MigCode.InvalidPageKey, "[SelectPage(", "composite primary key");
        AssertError("""
            [AutoIncPK(nameof(Id))]
            [Unique(nameof(A), nameof(B))]
            [SelectPage(nameof(A))]
            public sealed record Pair(long Id, long A, long B);
            """, MigCode.InvalidPageKey, "[SelectPage(", "neither the primary key nor [Unique]");
    }

    [TestMethod]
    public void APageByANullableUniqueIsMig0023() => AssertError("""
        [AutoIncPK(nameof(Id))]
        [Unique(nameof(Email))]
        [SelectPage(nameof(Email))]
        public sealed record Student(long Id, string? Email);
        """, MigCode.InvalidPageKey, "[SelectPage(", "nullable");

    [TestMethod]
    public void APageOrderedByAnotherPropertyIsMig0023() => AssertError("""
        [AutoIncPK(nameof(Id))]
        [SelectPage(nameof(Id), OrderBy = "Name")]
        public sealed record Student(long Id, string Name);
        """, MigCode.InvalidPageKey, "[SelectPage(", "direction");

    [TestMethod]
    public void APageOfAViewIsMig0023() => AssertError("""
        [AutoIncPK(nameof(Id))]
        public sealed record Student(long Id, string Name);

        [ViewSql("SELECT id, name FROM student")]
        [SelectPage(nameof(Id))]
        public sealed record StudentName(long Id, string Name);
        """, MigCode.InvalidPageKey, "[SelectPage(", "declares no key");

    [TestMethod]
    [DataRow("decimal", "decimal")]
    [DataRow("TimeSpan", "TimeSpan")]
    [DataRow("DateTimeOffset", "instant")]
    [DataRow("byte[]", "BLOB")]
    [DataRow("Big", "ulong")]
    public void ARangeOverAStoredFormThatDoesNotOrderLikeItsValuesIsMig0024(string type, string mention) => AssertError($$"""
        public enum Big : ulong { A, B = ulong.MaxValue }

        [AutoIncPK(nameof(Id))]
        [SelectRange(nameof(Value))]
        public sealed record Reading(long Id, {{type}} Value);
        """, MigCode.UnorderedColumn, "[SelectRange(", mention);

    [TestMethod]
    public void ARangeOverAViewColumnThatDoesNotOrderIsMig0024() => AssertError("""
        [AutoIncPK(nameof(Id))]
        public sealed record Payment(long Id, decimal Amount);

        [ViewSql("SELECT amount FROM payment")]
        [SelectRange(nameof(Amount))]
        public sealed record PaymentAmount(decimal Amount);
        """, MigCode.UnorderedColumn, "[SelectRange(", "decimal");

    [TestMethod]
    public void APageByAStoredFormThatDoesNotOrderIsMig0024() => AssertError("""
        [PK(nameof(Code))]
        [SelectPage(nameof(Code))]
        public sealed record Price(decimal Code);
        """, MigCode.UnorderedColumn, "[SelectPage(", "decimal");

    [TestMethod]
    public void ARangeOverARecordIsMig0024() => AssertError("""
        [AutoIncPK(nameof(Id))]
        public sealed record Student(long Id, string Name);

        [AutoIncPK(nameof(Id))]
        [SelectRange(nameof(Student))]
        public sealed record Course(long Id, Student Student);
        """, MigCode.UnorderedColumn, "[SelectRange(", "reference to the record Student");

    [TestMethod]
    public void AListOfRecordsWithACompositeKeyIsMig0025() => AssertError("""
        [PK(nameof(A), nameof(B))]
        public sealed record Pair(long A, long B);

        [AutoIncPK(nameof(Id))]
        [SelectIn(nameof(Pair))]
        public sealed record Use(long Id, Pair Pair);
        """, MigCode.UnlistableProperty, "[SelectIn(", "composite key");

    [TestMethod]
    public void ANewAttributeNamingNoPropertyIsMig0001() => AssertError("""
        [AutoIncPK(nameof(Id))]
        [SelectIn("Nope")]
        public sealed record Student(long Id, string Name);
        """, MigCode.MissingProperty, "[SelectIn(", "Nope");

    [TestMethod]
    public void TwoAttributesOfTheNewKindsWithOneNameAreAnError() => AssertError("""
        [AutoIncPK(nameof(Id))]
        [SelectIn(nameof(Id))]
        [SelectBy(nameof(IdIn))]
        public sealed record Student(long Id, string IdIn);
        """, MigCode.QueryNameCollision, "[SelectBy(nameof(IdIn))]", "SelectByIdInAsync");
}
