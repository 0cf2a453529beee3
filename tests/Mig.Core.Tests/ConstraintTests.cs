using Microsoft.Data.Sqlite;
using Mig.Core.Tests.Migration;
using Mig.Migration;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests;

/// <summary>
/// [Check] on a record and on a property, [Strict], and partial indexes ([Index] and [Unique] with a
/// Where): the SQL they become, what the created file then refuses, the build error for SQL SQLite
/// cannot compile, and migrations into them that old rows would break (refused by the plan, nothing changed).
/// </summary>
[TestClass]
public sealed class ConstraintTests
{
    private const string Booking = """
        [PK(nameof(Id))]
        [Check("ends_at > starts_at")]
        [Strict]
        [Index(nameof(Room), Where = "cancelled = 0")]
        [Unique(nameof(Room), nameof(StartsAt), Where = "cancelled = 0")]
        public sealed record Booking(long Id, string Room, long StartsAt, long EndsAt, [property: Check("price >= 0")] double Price, long Cancelled);
        """;

    [TestMethod]
    public void TheAttributesBecomeSqliteConstraintsAndPartialIndexes()
    {
        var model = SchemaFixture.Model(Booking);
        var script = SchemaVerbs.Script(model);
        StringAssert.Contains(script, "price REAL NOT NULL CHECK (price >= 0),");
        StringAssert.Contains(script, "CHECK (ends_at > starts_at)\n) STRICT;");
        StringAssert.Contains(script, "CREATE INDEX ix_booking_room ON booking(room) WHERE cancelled = 0;");
        StringAssert.Contains(script, "CREATE UNIQUE INDEX ux_booking_room_starts_at ON booking(room, starts_at) WHERE cancelled = 0;");
        Assert.AreEqual(SchemaHash.Compute(model), SchemaHash.Compute(SchemaModelJson.Deserialize(SchemaModelJson.Serialize(model))), "the model JSON keeps every constraint");
    }

    [TestMethod]
    public void TheCreatedFileRefusesWhatTheConstraintsForbid()
    {
        using var db = TestDatabase.Create(SchemaFixture.Model(Booking));
        void Insert(string values) { using var cmd = db.Connection.CreateCommand(); cmd.CommandText = $"INSERT INTO booking VALUES {values}"; cmd.ExecuteNonQuery(); }
        Insert("(1, 'a', 10, 20, 5.0, 0)");
        Insert("(2, 'a', 10, 20, 5.0, 1)"); // cancelled: outside the partial unique index
        SqliteException Refused(string values) => Assert.ThrowsExactly<SqliteException>(() => Insert(values));
        StringAssert.Contains(Refused("(3, 'b', 20, 10, 1.0, 0)").Message, "CHECK constraint failed");
        StringAssert.Contains(Refused("(4, 'b', 10, 20, -1.0, 0)").Message, "CHECK constraint failed");
        StringAssert.Contains(Refused("(5, 'a', 10, 30, 1.0, 0)").Message, "UNIQUE constraint failed");
        StringAssert.Contains(Refused("(6, 'b', 'soon', 30, 1.0, 0)").Message, "cannot store TEXT value in INTEGER column");
    }

    [TestMethod]
    public void ACheckSqliteCannotCompileIsABuildError()
    {
        var error = SchemaFixture.Error("""
            [PK(nameof(Id))]
            [Check("no_such_column > 0")]
            public sealed record Thing(long Id, long Size);
            """);
        Assert.AreEqual(MigCode.SqlRejected, error.Code);
        StringAssert.Contains(error.Message, "no_such_column");
    }

    private const string V2WithCheck = """
        [PK(nameof(Id))]
        [Check("ends_at > starts_at")]
        public sealed record Booking(long Id, string Room, long StartsAt, long EndsAt, double Price, long Cancelled);
        """;

    private const string V1 = """
        [PK(nameof(Id))]
        public sealed record Booking(long Id, string Room, long StartsAt, long EndsAt, double Price, long Cancelled);
        """;

    private static void RefusedByThePlan(string v2, string code, string expected, params string[] rows)
    {
        using var pair = MigrationPair.Create(V1, rows);
        var before = MigrationPair.Hash(pair.OldPath);
        var plan = pair.Migrator(SchemaFixture.Model(v2)).Plan(online: false);
        var error = plan.Errors.SingleOrDefault(e => e.Code == code);
        Assert.IsNotNull(error, string.Join("\n", plan.Errors.Select(e => e.Code + " " + e.Message)));
        StringAssert.Contains(error.Message, expected);
        var e = Assert.ThrowsExactly<MigOperationException>(() => pair.Migrator(SchemaFixture.Model(v2)).Migrate(offline: true, allowDataLoss: true));
        Assert.AreEqual(code, e.Code);
        Assert.AreEqual(before, MigrationPair.Hash(pair.OldPath));
        Assert.IsFalse(File.Exists(pair.NewPath), "no new file");
    }

    [TestMethod]
    public void OldRowsThatBreakANewCheckAreRefusedWithTheirRowids() =>
        RefusedByThePlan("""
            [PK(nameof(Id))]
            [Check("ends_at > starts_at")]
            public sealed record Booking(long Id, string Room, long StartsAt, long EndsAt, double Price, long Cancelled);
            """, MigCode.CheckViolated, "(rowids 7)",
            "INSERT INTO booking VALUES (1, 'a', 10, 20, 1.0, 0), (7, 'b', 30, 20, 1.0, 0)");

    [TestMethod]
    public void OldValuesAStrictTableRefusesAreRefusedByThePlan() =>
        RefusedByThePlan("""
            [PK(nameof(Id))]
            [Strict]
            public sealed record Booking(long Id, string Room, long StartsAt, long EndsAt, double Price, long Cancelled);
            """, MigCode.StrictTypeRefused, "booking.starts_at",
            "INSERT INTO booking VALUES (1, 'a', 10, 20, 1.0, 0), (2, 'b', 'soon', 20, 1.0, 0)");

    [TestMethod]
    public void RepeatsAmongTheRowsAPartialUniqueSelectsAreRefused() =>
        RefusedByThePlan("""
            [PK(nameof(Id))]
            [Unique(nameof(Room), Where = "cancelled = 0")]
            public sealed record Booking(long Id, string Room, long StartsAt, long EndsAt, double Price, long Cancelled);
            """, MigCode.DuplicateKey, "must be unique where cancelled = 0",
            "INSERT INTO booking VALUES (1, 'a', 10, 20, 1.0, 0), (2, 'a', 10, 20, 1.0, 0)");

    [TestMethod]
    public void RowsThatFitTheNewConstraintsMigrateAndTheNewFileEnforcesThem()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO booking VALUES (1, 'a', 10, 20, 1.0, 0), (2, 'a', 10, 20, 1.0, 1), (3, 'a', 10, 20, 1.0, 1)");
        var v2 = SchemaFixture.Model(Booking);
        var migrator = pair.Migrator(v2);
        Assert.IsEmpty(migrator.Plan(online: false).Errors);
        migrator.Migrate(offline: true, allowDataLoss: false);
        Assert.AreEqual(3L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM booking"));
        var e = Assert.ThrowsExactly<SqliteException>(() => pair.Execute(pair.NewPath, "INSERT INTO booking VALUES (9, 'a', 10, 20, 1.0, 0)"));
        StringAssert.Contains(e.Message, "UNIQUE constraint failed");
        Assert.AreEqual(1L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM sqlite_schema WHERE name = 'booking' AND sql LIKE '%STRICT'"));
    }

    [TestMethod]
    public void AWriteWhileRecordingThatBreaksANewCheckStopsTheDrainWithACode()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO booking VALUES (1, 'a', 10, 20, 1.0, 0)");
        var migrator = pair.Migrator(SchemaFixture.Model(V2WithCheck));
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.Execute(pair.OldPath, "INSERT INTO booking VALUES (2, 'b', 30, 20, 1.0, 0)");

        var errors = new List<string>();
        var request = new MigrationRequest("drain", "app") { Database = pair.OldPath, NewDatabase = pair.NewPath };
        var exit = CommandFailures.Run(() => "test", m => m, errors.Add,
            () => MigrationVerbs.Run(request, SchemaFixture.Model(V2WithCheck), new CommandOutput(_ => { }, _ => { }, errors.Add)));

        Assert.AreEqual(1, exit);
        StringAssert.Contains(errors.Last(), $"error {MigCode.CheckViolated}: ");
        StringAssert.Contains(errors.Last(), "MigReset");
        Assert.AreEqual(1L, pair.Scalar(pair.NewPath, "SELECT count(*) FROM booking"), "nothing of the failed replay batch is in the new file");
        // One pending write is a short tail: the drain paused writes before it replayed, so the old file's
        // guards refuse the correction the message would otherwise ask for.
        Assert.AreEqual(Protocol.Draining, HotDb.Marker(pair.OldPath));
        StringAssert.Contains(errors.Last(), "Writes to the old file are paused, so that row cannot be corrected there: run MigReset");
        Assert.DoesNotContain("run the step again", errors.Last());
        Assert.AreEqual($"failed {MigCode.CheckViolated}", pair.Scalar(pair.NewPath, $"SELECT result FROM {Protocol.AuditTable} ORDER BY id DESC LIMIT 1"), "the failure is in the audit trail");
        StringAssert.StartsWith(migrator.Status().Next, $"The last MigDrain failed {MigCode.CheckViolated}", "MigStatus leads with it, not with 'run MigDrain'");
        var catchUp = Assert.ThrowsExactly<MigOperationException>(() => migrator.CatchUp());
        Assert.AreEqual(MigCode.WrongPhase, catchUp.Code);
        StringAssert.Contains(catchUp.Message, $"The last MigDrain failed {MigCode.CheckViolated}", "MigCatchUp's advice is MigStatus's, not a bare 'run MigDrain'");
    }

    [TestMethod]
    public void AWriteThatBreaksANewCheckStopsTheCatchUpWhichGoesOnOnceTheRowIsCorrected()
    {
        using var pair = MigrationPair.Create(V1, "INSERT INTO booking VALUES (1, 'a', 10, 20, 1.0, 0)");
        var migrator = pair.Migrator(SchemaFixture.Model(V2WithCheck));
        migrator.Migrate(offline: false, allowDataLoss: false);
        pair.Execute(pair.OldPath, "INSERT INTO booking VALUES (2, 'b', 30, 20, 1.0, 0)");

        var e = Assert.ThrowsExactly<MigOperationException>(() => migrator.CatchUp());
        Assert.AreEqual(MigCode.CheckViolated, e.Code, e.Message);
        StringAssert.Contains(e.Message, "Correct that row in the old file and run the step again");
        Assert.AreEqual(Protocol.Recording, HotDb.Marker(pair.OldPath), "catch-up never pauses writes");
        StringAssert.StartsWith(migrator.Status().Next, $"The last MigCatchUp failed {MigCode.CheckViolated}");

        // What the message says works: the old service corrects the row, and the migration goes on.
        pair.Execute(pair.OldPath, "UPDATE booking SET ends_at = 40 WHERE id = 2");
        migrator.CatchUp();
        migrator.Drain();
        migrator.Cutover();
        Assert.AreEqual(40L, pair.Scalar(pair.NewPath, "SELECT ends_at FROM booking WHERE id = 2"));
    }
}
