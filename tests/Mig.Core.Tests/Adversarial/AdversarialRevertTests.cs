using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Core.Tests.Migration;
using Mig.Migration;
using Mig.Schema;

namespace Mig.Core.Tests.Adversarial;

/// <summary>
/// The adversarial suite (<see cref="AdversarialTests"/>) on MigCatchUp and MigRevert: a generated v1 and v2
/// (<see cref="RevertShape"/>: renames, INTEGER to TEXT, dropped and added columns, a new table), hostile rows,
/// three writers while the old file records with MigCatchUp at random moments, cutover; then the three writers on
/// the new file (v2 names, rowid moves, REPLACE, deletes and re-inserts), wrong-moment operations, and MigRevert
/// while a background writer keeps writing (some seeds with a backlog, so its catch-up runs under the writes).
/// The oracle (<see cref="RevertOracle"/>): when the new file holds nothing only v2 can hold, the revert succeeds
/// and the old file is the new file written back; otherwise it is refused (MIG0042) and leaves both files as the
/// runbook says, and with -p:MigAllowDataLoss the old file holds exactly the survivors. Every refused operation
/// threw a MIG code and changed nothing.
/// <para>
/// Seeded: <c>MIG_ADVERSARIAL_ITERATIONS</c> seeds (default 6) from <c>MIG_ADVERSARIAL_SEED</c> (default 1).
/// </para>
/// </summary>
[TestClass]
public sealed class AdversarialRevertTests
{
    private const int BacklogRows = 1500;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DoNotParallelize] // FaultPoint.Listener is process-wide
    public void RevertWritesBackEveryWriteOrRefusesWhatOnlyTheNewSchemaHolds()
    {
        AdversarialSeeds.Run("adversarial revert", TestContext, Iteration, () => FaultPoint.Listener = null);
    }

    private void Iteration(int seed)
    {
        var rng = new Random(seed);
        var names = new HostileNames(rng);
        var values = new HostileValues(rng, 4000);
        var shape = RevertShape.Generate(rng, names);
        var writes = new RevertWrites(rng, values);
        TestContext.WriteLine($"seed {seed}: {shape.Describe()}{(shape.Seeded is null ? "" : $"; v2 seeds {shape.Seeded.V2Name}")}");
        using var pair = MigrationPair.Create(shape.Source(v2: false), [.. shape.LegacySql()]);
        var v2 = SchemaFixture.Model(shape.Source(v2: true));
        Migrator Op() => pair.Migrator(v2);
        using (var c = MigrationPair.Open(pair.OldPath))
            foreach (var t in shape.Tables)
                for (var i = rng.Next(3, 12); i > 0; i--) HostileWriters.TryExecute(c, writes.Old(t));

        Op().Migrate(offline: false, allowDataLoss: shape.Drops);
        using (var oldDb = new MigDatabase(pair.OldPath))
        {
            var catchUps = rng.Next(4);
            for (var round = rng.Next(3, 8); round > 0; round--)
            {
                HostileWriters.Write(rng.Next(3), oldDb, pair.OldPath, Statements(rng, () => writes.Old(shape.Tables[rng.Next(shape.Tables.Count)])));
                if (catchUps > 0 && rng.Next(3) == 0)
                {
                    catchUps--;
                    // Sometimes killed after a batch committed, before its durable commit and trim: the next step resumes.
                    if (rng.Next(4) == 0) KilledAt(FaultPoint.CatchUp, () => Op().CatchUp());
                    else Op().CatchUp();
                }
            }
        }
        Op().Drain();
        Op().Cutover(allowDataLoss: shape.Drops);
        RevertOracle.AssertCopied(pair.OldPath, pair.NewPath, shape);

        using var newDb = new MigDatabase(pair.NewPath);
        writes.Lossy = rng.Next(3) == 0 ? rng.Next(5, 40) : 0;
        for (var round = rng.Next(3, 8); round > 0; round--)
        {
            if (rng.Next(4) == 0) RefusedChangesNothing(pair, shape, new Action[] { () => Op().Drain(), () => Op().Cutover(), () => Op().CatchUp(), () => Op().Migrate(false, false), () => Op().Reset() }[rng.Next(5)]);
            HostileWriters.Write(rng.Next(3), newDb, pair.NewPath, Statements(rng, () => writes.New(shape.Tables[rng.Next(shape.Tables.Count)], band: 0)));
        }
        if (shape.Tables.Any(t => t.Legacy))
        {
            // A table whose key became its rowid cannot be matched back: refused before anything changes, loss accepted or not.
            Assert.AreEqual(MigCode.RevertUnsupported, RefusedChangesNothing(pair, shape, () => Op().Revert(rng.Next(2) == 0)).Code);
            return;
        }
        var backlog = rng.Next(3) == 0;
        if (backlog) Backlog(pair.NewPath, shape.Tables[rng.Next(shape.Tables.Count)]);
        var before = RevertOracle.Rows(pair.OldPath, shape, v2: false);
        if (RepeatsRefused(pair, shape, Op, newDb, seed, rng, before)) TestContext.WriteLine($"seed {seed}: values repeated in a key unique in v1 only were refused");
        var losses = RevertOracle.Losses(pair.NewPath, shape);
        // With a backlog the revert catches up while writes go on: a loss written then is refused after the pause.
        var lateLoss = backlog && losses.Count == 0 && rng.Next(2) == 0;
        TestContext.WriteLine($"seed {seed}: losses {losses.Count}{(backlog ? ", backlog" : "")}{(lateLoss ? ", a loss written during the catch-up" : "")}");
        if (losses.Count > 0 || lateLoss) RefusedThenAccepted(pair, shape, Op, newDb, seed, before, lateLoss, fix: rng.Next(2) == 0);
        else
        {
            // Sometimes killed at one of its steps first (after a batch committed): MigRevert again resumes.
            var kill = rng.Next(4) == 0 ? new[] { FaultPoint.RevertStart, FaultPoint.CatchUp, FaultPoint.Revert, FaultPoint.RevertFinish }[rng.Next(4)] : null;
            if (kill is not null) KilledAt(kill, () => RevertUnderWrites(pair, shape, Op, newDb, seed, allowDataLoss: false));
            if (kill is null || Op().Status().Phase != "reverted") RevertUnderWrites(pair, shape, Op, newDb, seed + 1, allowDataLoss: false);
            RevertOracle.AssertWrittenBack(pair.OldPath, pair.NewPath, shape, before, lossAccepted: false);
        }
        Reverted(pair, shape, Op, rng);
    }

    /// <summary>Runs <paramref name="operation"/> stopped as by a kill at <paramref name="point"/> (the first time it is reached; it may not be).</summary>
    private static void KilledAt(string point, Action operation)
    {
        FaultPoint.Listener = name =>
        {
            if (name != point) return;
            FaultPoint.Listener = null;
            throw new OperationCanceledException("killed at " + point);
        };
        try
        {
            operation();
        }
        catch (OperationCanceledException e) when (e.Message == "killed at " + point)
        {
        }
        finally
        {
            FaultPoint.Listener = null;
        }
    }

    private static List<string> Statements(Random rng, Func<string> next) => [.. Enumerable.Range(0, rng.Next(1, 6)).Select(_ => next())];

    /// <summary>Many rows written since cutover, so the revert's catch-up has passes to run while writes go on.</summary>
    private static void Backlog(string newPath, RevertShape.Table t)
    {
        var columns = t.New.ToList();
        var select = columns.Select(c => c.Role == "key" ? "100000 + i" : c.Role == "add" && c.Kind == "INTEGER" ? RevertShape.AddedDefault : "NULL");
        HostileWriters.RawWrite(newPath, [$"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {BacklogRows}) " +
            $"INSERT INTO {HostileNames.Sql(t.V2Name)}({string.Join(", ", columns.Select(c => HostileNames.Sql(c.V2Name)))}) SELECT {string.Join(", ", select)} FROM n"]);
    }

    /// <summary>
    /// The revert refuses the loss (MIG0042). Refused before the pause: the new file serves on and the old file is
    /// as it was. Refused after it (a loss written during the catch-up): MigReset lets the new file serve again.
    /// Then the loss is accepted: the old file holds exactly what survives.
    /// </summary>
    private static void RefusedThenAccepted(MigrationPair pair, RevertShape shape, Func<Migrator> op, MigDatabase newDb, int seed, Dictionary<string, Dictionary<long, string[]>> before, bool lateLoss, bool fix)
    {
        if (lateLoss)
            FaultPoint.Listener = name =>
            {
                if (name != FaultPoint.CatchUp) return;
                FaultPoint.Listener = null;
                HostileWriters.RawWrite(pair.NewPath, [$"INSERT INTO {HostileNames.Sql(RevertShape.ExtraTable)}(Id) VALUES (424242)"]);
            };
        var refused = Assert.ThrowsExactly<MigOperationException>(() => RevertUnderWrites(pair, shape, op, newDb, seed, allowDataLoss: false));
        FaultPoint.Listener = null;
        Assert.AreEqual(MigCode.DataLoss, refused.Code, refused.Message);
        if (HotDb.Marker(pair.NewPath) == Protocol.Revertible)
        {
            Assert.AreEqual("cut-over", op().Status().Phase, "refused before the pause: the new file keeps serving");
            CollectionAssert.AreEquivalent(Flat(before).ToList(), Flat(RevertOracle.Rows(pair.OldPath, shape, v2: false)).ToList(), "refused before the pause: the old file is as it was");
        }
        else
        {
            Assert.IsTrue(lateLoss, "a loss already written is refused before anything is paused: " + refused.Message);
            Assert.AreEqual("reverting", op().Status().Phase);
            op().Reset();
            Assert.AreEqual("cut-over", op().Status().Phase, "MigReset cancels the revert");
        }
        // The new service writes again; after a late loss it may undo it, and a revert without loss then goes on from where the refused one stopped.
        var undo = lateLoss && fix;
        OldStaysPaused(pair.OldPath);
        HostileWriters.RuntimeWrite(newDb, [$"DELETE FROM {HostileNames.Sql(RevertShape.ExtraTable)} WHERE Id = {(undo ? 424242 : -1)}"]);
        RevertUnderWrites(pair, shape, op, newDb, seed + 1, allowDataLoss: !undo);
        RevertOracle.AssertWrittenBack(pair.OldPath, pair.NewPath, shape, before, lossAccepted: !undo);
    }

    /// <summary>
    /// Values repeated in a key only v1 keeps unique: the revert refuses them (MIG0053, loss accepted or not) before the
    /// pause and writes nothing back; the new service then makes them unique.
    /// </summary>
    private static bool RepeatsRefused(MigrationPair pair, RevertShape shape, Func<Migrator> op, MigDatabase newDb, int seed, Random rng, Dictionary<string, Dictionary<long, string[]>> before)
    {
        if (RevertOracle.Repeats(pair.NewPath, shape).Count == 0) return false;
        var refused = Assert.ThrowsExactly<MigOperationException>(() => RevertUnderWrites(pair, shape, op, newDb, seed + 2, allowDataLoss: rng.Next(2) == 0));
        Assert.AreEqual(MigCode.DuplicateKey, refused.Code, refused.Message);
        Assert.AreEqual(Protocol.Revertible, HotDb.Marker(pair.NewPath), "refused before the pause: the new file keeps serving");
        CollectionAssert.AreEquivalent(Flat(before).ToList(), Flat(RevertOracle.Rows(pair.OldPath, shape, v2: false)).ToList(), "refused before the pause: the old file is as it was");
        OldStaysPaused(pair.OldPath);
        RevertOracle.MakeUnique(pair.NewPath, shape);
        return true;
    }

    /// <summary>Until a revert completes, the old file's guards refuse every writer: what was written back so far is seen by nobody's writes.</summary>
    private static void OldStaysPaused(string oldPath)
    {
        using var c = MigrationPair.Open(oldPath);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO anchor(Id) VALUES (-5)";
        Assert.ThrowsExactly<SqliteException>(() => cmd.ExecuteNonQuery(), "the old file stays paused");
    }

    private static IEnumerable<string> Flat(Dictionary<string, Dictionary<long, string[]>> rows) =>
        rows.SelectMany(t => t.Value.Select(r => $"{t.Key} {r.Key}: {string.Join(" | ", r.Value)}"));

    /// <summary>MigRevert while a background writer (the three writers in turn, never lossy) writes to the new file until it is refused.</summary>
    private static void RevertUnderWrites(MigrationPair pair, RevertShape shape, Func<Migrator> op, MigDatabase newDb, int seed, bool allowDataLoss)
    {
        var rng = new Random(seed * 31 + (allowDataLoss ? 1 : 0));
        var writes = new RevertWrites(rng, new HostileValues(rng, 4000));
        using var stop = new CancellationTokenSource();
        var background = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var statements = Statements(rng, () => writes.New(shape.Tables[rng.Next(shape.Tables.Count)], band: 1));
                try
                {
                    HostileWriters.Write(rng.Next(3), newDb, pair.NewPath, statements);
                }
                catch (Exception e) when (e is SqliteException or MigWritesPausedException or MigDatabaseNotReadyException)
                {
                }
                Thread.Sleep(2);
            }
        });
        try
        {
            op().Revert(allowDataLoss);
        }
        finally
        {
            stop.Cancel();
            background.GetAwaiter().GetResult();
        }
    }

    /// <summary>After the revert: again is nothing to do, the old file takes writes, wrong-moment operations are refused.</summary>
    private static void Reverted(MigrationPair pair, RevertShape shape, Func<Migrator> op, Random rng)
    {
        Assert.AreEqual("reverted", op().Status().Phase);
        Assert.AreEqual(Protocol.Reverted, HotDb.Status(pair.NewPath));
        Assert.IsNull(HotDb.Marker(pair.OldPath), "the old file has no capture left");
        if (rng.Next(2) == 0) RefusedChangesNothing(pair, shape, new Action[] { () => op().Drain(), () => op().Cutover(), () => op().CatchUp(), () => op().Reset() }[rng.Next(4)]);
        if (rng.Next(2) == 0)
        {
            var state = RevertOracle.State(pair.OldPath, pair.NewPath, shape);
            op().Revert();
            Assert.AreEqual(state, RevertOracle.State(pair.OldPath, pair.NewPath, shape), "a second MigRevert changes nothing");
        }
        // AUTOINCREMENT never hands out a key twice: the old file's counter is at least the new file's.
        foreach (var a in shape.Tables.Where(a => a.AutoInc))
            Assert.IsGreaterThanOrEqualTo(Sequence(pair.NewPath, a.V2Name), Sequence(pair.OldPath, a.Name), $"{a.Name}: the old file's AUTOINCREMENT counter");
        var t = shape.Tables[0];
        using var oldDb = new MigDatabase(pair.OldPath);
        oldDb.WriteAsync(x =>
        {
            using var cmd = x.Connection.CreateCommand();
            cmd.CommandText = $"DELETE FROM {HostileNames.Sql(t.Name)} WHERE {HostileNames.Sql(t.Key.Name)} = 5000";
            cmd.ExecuteNonQuery();
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();
    }

    private static long Sequence(string path, string table)
    {
        using var c = MigrationPair.Open(path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = @t), 0)";
        cmd.Parameters.AddWithValue("@t", table);
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>An operation at the wrong moment: refused with a MIG code, and neither file changed.</summary>
    private static MigOperationException RefusedChangesNothing(MigrationPair pair, RevertShape shape, Action operation)
    {
        var state = RevertOracle.State(pair.OldPath, pair.NewPath, shape);
        var refused = HostileWriters.Refused(operation);
        Assert.AreEqual(state, RevertOracle.State(pair.OldPath, pair.NewPath, shape), "a refused operation changed a file");
        return refused;
    }
}
