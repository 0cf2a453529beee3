using Mig.Migration;
using Mig.Sql;
using static Mig.Core.Tests.Migration.RowAssert;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// A v2 that makes values unique which the old file does not keep unique: a new [Unique], a new
/// primary key, an INTEGER PRIMARY KEY taken from a plain column, a unique column filled from one
/// default. Old rows that collide are a plan error (MIG0053) naming the values, before anything
/// changes; Mig never picks which row survives.
/// </summary>
[TestClass]
public sealed class NewUniqueKeyTests
{
    private const string V1 = """
        [AutoIncPK(nameof(Id))]
        public sealed record Member(long Id, string Email, string Team, long Badge);
        """;

    private static readonly string[] Seed =
    [
        "INSERT INTO member(id, email, team, badge) VALUES (1, 'a@x', 'red', 10), (2, 'b@x', 'red', 20), (3, 'a@x', 'blue', 10), (4, 'c@x', 'blue', 30), (5, 'a@x', 'red', 40)",
    ];

    private static void AssertRefusedAndNothingChanged(MigrationPair pair, string v2, params string[] expected)
    {
        var migrator = pair.Migrator(SchemaFixture.Model(v2));
        var oldHash = MigrationPair.Hash(pair.OldPath);
        foreach (var online in new[] { false, true })
        {
            var plan = migrator.Plan(online);
            var error = plan.Errors.SingleOrDefault(e => e.Code == MigCode.DuplicateKey);
            Assert.IsNotNull(error, $"online={online}: " + string.Join("\n", plan.Errors.Select(e => $"{e.Code} {e.Message}")));
            foreach (var text in expected) StringAssert.Contains(error.Message, text);
            Assert.IsFalse(plan.Losses.Any(), "duplicates are not a loss -p:MigAllowDataLoss=true could accept");
            foreach (var allow in new[] { false, true })
            {
                var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline: !online, allowDataLoss: allow));
                Assert.AreEqual(MigCode.DuplicateKey, e.Code, e.Message);
            }
        }
        Assert.AreEqual(oldHash, MigrationPair.Hash(pair.OldPath), "refused: the old file is untouched");
        Assert.IsFalse(File.Exists(pair.NewPath));
        Assert.AreEqual("none", migrator.Status().Phase);
    }

    [TestMethod]
    public void ANewUniqueOnAColumnWithRepeatedValuesIsRefusedWithTheValues()
    {
        using var pair = MigrationPair.Create(V1, Seed);
        AssertRefusedAndNothingChanged(pair, """
            [AutoIncPK(nameof(Id))]
            [Unique(nameof(Email))]
            public sealed record Member(long Id, string Email, string Team, long Badge);
            """, "member (email)", "1 value(s)", "'a@x' in 3 rows (rowids 1, 3, 5)", "nothing was changed");
    }

    [TestMethod]
    public void ANewCompositeUniqueCountsEachCombination()
    {
        using var pair = MigrationPair.Create(V1, Seed);
        AssertRefusedAndNothingChanged(pair, """
            [AutoIncPK(nameof(Id))]
            [Unique(nameof(Email), nameof(Team))]
            public sealed record Member(long Id, string Email, string Team, long Badge);
            """, "member (email, team)", "'a@x', 'red' in 2 rows (rowids 1, 5)");
    }

    [TestMethod]
    public void AnIntegerPrimaryKeyFromAPlainColumnWithRepeatsIsRefusedOffline()
    {
        // Offline this is allowed when the values are unique (online it is MIG0051 regardless).
        using var pair = MigrationPair.Create(V1, Seed);
        var migrator = pair.Migrator(SchemaFixture.Model("""
            [PK(nameof(Badge))]
            public sealed record Member(string Email, string Team, long Badge);
            """));
        var error = migrator.Plan(online: false).Errors.Single();
        Assert.AreEqual(MigCode.DuplicateKey, error.Code, error.Message);
        StringAssert.Contains(error.Message, "10 in 2 rows (rowids 1, 3)");
        Assert.AreEqual(MigCode.DuplicateKey, Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline: true, allowDataLoss: true)).Code);
        Assert.IsFalse(File.Exists(pair.NewPath));
    }

    [TestMethod]
    public void ANewUniqueColumnFilledFromOneDefaultCollidesOnASecondRow()
    {
        using var pair = MigrationPair.Create(V1, Seed);
        AssertRefusedAndNothingChanged(pair, """
            [AutoIncPK(nameof(Id))]
            [Unique(nameof(Handle))]
            [Default(nameof(Handle), "'tbd'")]
            public sealed record Member(long Id, string Email, string Team, long Badge, string Handle);
            """, "member (handle)", "'tbd' in 5 rows");
    }

    [TestMethod]
    public void NullsAndValuesMadeUniqueByTheOldFileAreNoDuplicates()
    {
        // UNIQUE lets NULLs repeat; email is already unique in v1, so the new composite key needs no scan to be safe.
        using var pair = MigrationPair.Create("""
            [AutoIncPK(nameof(Id))]
            [Unique(nameof(Email))]
            public sealed record Member(long Id, string Email, string? Nick);
            """,
            "INSERT INTO member(id, email, nick) VALUES (1, 'a@x', NULL), (2, 'b@x', NULL), (3, 'c@x', 'c')");
        var migrator = pair.Migrator(SchemaFixture.Model("""
            [AutoIncPK(nameof(Id))]
            [Unique(nameof(Email), nameof(Nick))]
            [Unique(nameof(Nick))]
            public sealed record Member(long Id, string Email, string? Nick);
            """));
        Assert.IsEmpty(migrator.Plan(online: false).Errors);
        migrator.Migrate(offline: true, allowDataLoss: false);
        AreEqual(pair.Rows(pair.OldPath, "SELECT id, email, nick FROM member ORDER BY id"),
            pair.Rows(pair.NewPath, "SELECT id, email, nick FROM member ORDER BY id"), "copied as they were");
    }

    [TestMethod]
    public void ADuplicateWrittenAfterThePlanStopsTheOnlineCopyWithTheCodeAndResetRecovers()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO member(id, email, team, badge) VALUES (1, 'a@x', 'red', 10), (2, 'b@x', 'red', 20)");
        var v2 = SchemaFixture.Model("""
            [AutoIncPK(nameof(Id))]
            [Unique(nameof(Email))]
            public sealed record Member(long Id, string Email, string Team, long Badge);
            """);
        var tablesBefore = pair.Tables(pair.OldPath);
        // The old service writes a duplicate after the plan passed, before the copy's snapshot.
        var migrator = new Migrator(v2, SchemaHash.Compute(v2), pair.OldPath, pair.NewPath, line =>
        {
            pair.Log.Add(line);
            if (line.Contains("capturing writes", StringComparison.Ordinal))
                pair.WriteOld("INSERT INTO member(id, email, team, badge) VALUES (3, 'a@x', 'blue', 30)");
        });

        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Migrate(offline: false, allowDataLoss: false));

        Assert.AreEqual(MigCode.DuplicateKey, e.Code, e.Message);
        StringAssert.Contains(e.Message, "UNIQUE constraint failed");
        StringAssert.Contains(e.Message, "MigReset");
        Assert.AreEqual("copy-incomplete", migrator.Status().Phase);
        migrator.Reset();
        Assert.AreEqual("none", migrator.Status().Phase);
        Assert.IsFalse(File.Exists(pair.NewPath));
        CollectionAssert.AreEqual(tablesBefore, pair.Tables(pair.OldPath), "capture removed");
        AreEqual([[0L]], pair.Rows(pair.OldPath, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"), "no capture trigger left");
        AreEqual([[1L, "a@x"], [2L, "b@x"], [3L, "a@x"]], pair.Rows(pair.OldPath, "SELECT id, email FROM member ORDER BY id"), "the old service's rows");
    }

    [TestMethod]
    public void ADuplicateWrittenWhileRecordingStopsTheDrainBeforeThePauseAndVerifyAndCutoverWithTheValues()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO member(id, email, team, badge) VALUES (1, 'a@x', 'red', 10), (2, 'b@x', 'red', 20)");
        var migrator = pair.Migrator(SchemaFixture.Model("""
            [AutoIncPK(nameof(Id))]
            [Unique(nameof(Email))]
            public sealed record Member(long Id, string Email, string Team, long Badge);
            """));
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.WriteOld("INSERT INTO member(id, email, team, badge) VALUES (3, 'a@x', 'blue', 30)");

        // MigDrain refuses before it pauses: the cutover could never take this pair.
        var drain = Assert.ThrowsExactly<MigOperationException>(() => migrator.Drain());
        Assert.AreEqual(MigCode.DuplicateKey, drain.Code, drain.Message);
        StringAssert.Contains(drain.Message, "'a@x' in 2 rows (rowids 1, 3)");
        StringAssert.Contains(drain.Message, "writes were not paused");
        Assert.AreEqual(Protocol.Recording, pair.Scalar(pair.OldPath, $"SELECT status FROM {Protocol.MarkerTable}"), "the old service keeps writing");
        pair.WriteOld("INSERT INTO member(id, email, team, badge) VALUES (4, 'd@x', 'blue', 40)");
        StringAssert.Contains(migrator.Status().Next, "The last MigDrain failed MIG0053");

        // The verification (MigVerify, and MigCutover's after a repeat written between the drain's check and its pause) says the same.
        // Accepting data loss does not cover it: which row would survive is not Mig's choice.
        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.Verify(allowDataLoss: true));

        Assert.AreEqual(MigCode.DuplicateKey, e.Code, e.Message);
        StringAssert.Contains(e.Message, "member (email)");
        StringAssert.Contains(e.Message, "'a@x' in 2 rows (rowids 1, 3)");
        StringAssert.Contains(e.Message, "Nothing was cut over");
        var status = migrator.Status();
        Assert.AreEqual("recording", status.Phase, string.Join("\n", status.Lines()));
        StringAssert.Contains(status.Next, "failed MIG0053");
        migrator.Reset();
        Assert.AreEqual("none", migrator.Status().Phase);
        AreEqual([[1L, "a@x"], [2L, "b@x"], [3L, "a@x"], [4L, "d@x"]], pair.Rows(pair.OldPath, "SELECT id, email FROM member ORDER BY id"), "the old service's rows");
    }
}
