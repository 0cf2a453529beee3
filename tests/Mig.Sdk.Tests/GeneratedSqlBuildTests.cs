using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// The generated SQL through real builds: column names that are not identifiers
/// build, init and run; a generated statement SQLite cannot prepare against the
/// schema fails the build (MIG0022) at the schema line that produced it, so it never
/// reaches run time.
/// </summary>
[TestClass]
[TestCategory("Build")]
public sealed class GeneratedSqlBuildTests
{
    private const string HostileSchema = """
        using Mig;

        namespace HostileApp.Schema;

        [AutoIncPK(nameof(Id))]
        [Table("order")]
        [Unique(nameof(Email))]
        [SelectOneBy(nameof(Email))]
        [SelectLike(nameof(Email))]
        [UpdateBy(nameof(Email))]
        [DeleteBy(nameof(@default))]
        public sealed record Contact(
            long Id,
            [Column("e-mail")] string Email,
            [Column("a-b")] string Dash,
            [Column("a b")] string Space,
            string @default,
            [Column("line\nbreak")] string? NewLine);
        """;

    private const string HostileProgram = """
        using Mig;
        using HostileApp.Schema;

        await using var db = new MigDatabase(args[0]);
        var id = await db.WriteAsync(txn => Contact.InsertAsync(txn, new Contact(0, "ann@x", "dash", "space", "kw", "nl")));
        await db.WriteAsync(txn => Contact.InsertAsync(txn, new Contact(0, "50%@x", "d2", "s2", "other", null)));
        var ann = await db.ReadAsync(txn => Contact.SelectOneByEmailAsync(txn, "ann@x"));
        Console.WriteLine($"selected: {ann}");
        Console.WriteLine($"updated: {await db.WriteAsync(txn => Contact.UpdateByEmailAsync(txn, ann! with { Dash = "dash2", NewLine = null }))}");
        Console.WriteLine($"like: {string.Join(",", (await db.ReadAsync(txn => Contact.SelectEmailLikeAsync(txn, "50%"))).Select(c => c.Email))}");
        Console.WriteLine($"after update: {await db.ReadAsync(txn => Contact.SelectOneByEmailAsync(txn, "ann@x"))}");
        Console.WriteLine($"deleted: {await db.WriteAsync(txn => Contact.DeleteBydefaultAsync(txn, "kw"))}");
        Console.WriteLine($"left: {await db.ReadAsync(txn => Contact.SelectOneByEmailAsync(txn, "ann@x"))}");
        """;

    [TestMethod]
    public void AConsumerWithHostileColumnNamesBuildsInitsAndRunsEveryKindOfStatement()
    {
        using var consumer = Consumer.Create("HostileApp", ProjectXml.Additive("<OutputType>Exe</OutputType>"),
            ("Schema/Contact.cs", HostileSchema), ("Program.cs", HostileProgram));
        var build = consumer.Build();
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        consumer.NewFolder("data");
        var database = consumer.Build("-t:MigInit", "-p:MigDatabaseDir=data", "-getTargetResult:MigInit").SingleItem("MigInit").Identity;

        var run = DotNet.Run(consumer.Directory, [consumer.PathOf("bin/Debug/net10.0/HostileApp.dll"), database]);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        var lines = run.StdOut.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.AreEqual(new[]
        {
            "selected: Contact { Id = 1, Email = ann@x, Dash = dash, Space = space, default = kw, NewLine = nl }",
            "updated: 1",
            "like: 50%@x",
            "after update: Contact { Id = 1, Email = ann@x, Dash = dash2, Space = space, default = kw, NewLine =  }",
            "deleted: 1",
            "left: ",
        }, lines, run.ToString());
    }

    [TestMethod]
    public void AGeneratedStatementThatDoesNotPrepareFailsTheBuildAtItsAttribute()
    {
        // SQLite folds only ASCII case, so the view's column "NAMÉ" is not the record's
        // "namé"; the [ViewSql] column check compares like C# and lets it through, but
        // the generated select names a column the view does not have.
        const string schema = """
            using Mig;

            namespace BrokenApp.Schema;

            [AutoIncPK(nameof(Id))]
            public sealed record Person(long Id, string Name);

            [ViewSql("SELECT name AS \"NAMÉ\" FROM person")]
            [SelectBy(nameof(Namé))]
            public sealed record PersonName(string Namé);
            """;
        using var consumer = Consumer.Create("BrokenApp", files: ("Schema/Person.cs", schema));

        var build = consumer.Build();

        build.AssertFailed();
        var line = schema.Split('\n').ToList().FindIndex(l => l.Contains("[SelectBy(", StringComparison.Ordinal)) + 1;
        StringAssert.Contains(build.Output, consumer.PathOf("Schema/Person.cs") + $"({line},2): error MIG0022: ", build.ToString());
        StringAssert.Contains(build.Output, "SelectByNaméAsync", build.ToString());
        StringAssert.Contains(build.Output, "no such column", build.ToString());
        Assert.DoesNotContain("MSB6006", build.Output);
        Assert.IsFalse(File.Exists(consumer.MigIntermediateDir + "Mig.g.cs"), "No code is generated around a statement that cannot run.");
    }
}
