using Mig.Sql;

namespace Mig.Core.Tests;

[TestClass]
public sealed class HashTests
{
    private const string Baseline = """
        [PK(nameof(Id))]
        [Index(nameof(Name))]
        public sealed record Student(long Id, string Name, long Age);
        public static class Seeds
        {
            public static readonly Student[] All = [new(1, "ann", 20)];
        }
        """;

    private static string Hash(string source)
    {
        var result = SchemaFixture.Compile(source);
        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics.Select(d => d.Format("test"))));
        Assert.AreEqual(SchemaHash.Compute(result.Model!), result.Hash);
        return result.Hash!;
    }

    [TestMethod]
    public void HashIsTwelveHexDigitsAndStable()
    {
        var hash = Hash(Baseline);
        StringAssert.Matches(hash, new System.Text.RegularExpressions.Regex("^[0-9a-f]{12}$"));
        Assert.AreEqual(hash, Hash(Baseline));
        Assert.AreEqual($"school-{hash}.db", Protocol.DatabaseFileName("school", hash));
    }

    [TestMethod]
    public void WhitespaceAndCommentsDoNotChangeTheHash()
    {
        const string edited = """
            // The students.
            [PK(nameof(Id))]

            [Index(nameof(Name))]   /* by name */
            public sealed record Student(
                long Id,      // key
                string Name,
                long Age);

            public static class Seeds
            {
                /// <summary>Everyone.</summary>
                public static readonly Student[] All = [ new(1, "ann", 20) ];
            }
            """;
        Assert.AreEqual(Hash(Baseline), Hash(edited));
    }

    [TestMethod]
    public void DeclarationOrderOfTypesDoesNotChangeTheHash()
    {
        const string course = """
            [PK(nameof(Id))]
            public sealed record Course(long Id, Student Student);

            """;
        const string view = """
            [View, Join(typeof(Course), typeof(Student))]
            public sealed record CourseStudent(long CourseId, string StudentName);

            """;
        Assert.AreEqual(Hash(Baseline + course + view), Hash(view + course + Baseline));
    }

    [TestMethod]
    public void QueryAttributesDoNotChangeTheHash()
    {
        var withQueries = Baseline.Replace("[Index(nameof(Name))]",
            "[Index(nameof(Name))]\n[SelectAll, SelectBy(nameof(Name), OrderBy = \"Age DESC\"), UpdateBy(nameof(Id)), DeleteBy(nameof(Id)), Upsert]", StringComparison.Ordinal);
        Assert.AreNotEqual(Baseline, withQueries);
        Assert.AreEqual(Hash(Baseline), Hash(withQueries));
    }

    [TestMethod]
    [DataRow("long Age)", "long Age, string Email = \"\")", DisplayName = "a column")]
    [DataRow("long Age)", "double Age)", DisplayName = "a column type")]
    [DataRow("long Age)", "long? Age)", DisplayName = "nullability")]
    [DataRow("[Index(nameof(Name))]", "[Index(nameof(Name), nameof(Age))]", DisplayName = "an index")]
    [DataRow("[Index(nameof(Name))]", "[Index(nameof(Name))][Unique(nameof(Name))]", DisplayName = "a constraint")]
    [DataRow("[Index(nameof(Name))]", "[Index(nameof(Name))][Default(nameof(Age), \"0\")]", DisplayName = "a default")]
    [DataRow("new(1, \"ann\", 20)", "new(1, \"ann\", 21)", DisplayName = "a seed value")]
    [DataRow("new(1, \"ann\", 20)", "new(1, \"ann\", 20), new(2, \"bob\", 22)", DisplayName = "a seed row")]
    [DataRow("[Index(nameof(Name))]", "[Index(nameof(Name))][Table(\"pupil\")]", DisplayName = "a table name")]
    public void SchemaChangesChangeTheHash(string from, string to)
    {
        var changed = Baseline.Replace(from, to, StringComparison.Ordinal);
        Assert.AreNotEqual(Baseline, changed, "the edit must apply");
        Assert.AreNotEqual(Hash(Baseline), Hash(changed));
    }

    [TestMethod]
    public void SeedStorageClassChangesTheHash()
    {
        // 1 and 1.0 print alike but are different values in SQLite.
        const string asLong = """
            [PK(nameof(Id))] public sealed record Setting(long Id, long Value);
            public static class Seeds { public static Setting One => new(1, 1); }
            """;
        Assert.AreNotEqual(Hash(asLong), Hash(asLong.Replace("long Value", "double Value", StringComparison.Ordinal)));
    }
}
