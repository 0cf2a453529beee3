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
}
