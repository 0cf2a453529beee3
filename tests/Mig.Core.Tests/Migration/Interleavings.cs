using System.Collections.Concurrent;
using System.Diagnostics;
using Mig.Migration;

namespace Mig.Core.Tests.Migration;

/// <summary>A writer of the concurrency tests: random transactions, one <see cref="Step"/> at a time.</summary>
internal interface IRandomWriter
{
    string Tag { get; }

    int Commits { get; }

    /// <summary>True once the old file refused one of its transactions (writes paused by the drain).</summary>
    bool Refused { get; }

    /// <summary>What to show beside a failure (the last operations, for instance); empty when nothing helps.</summary>
    string FailureContext { get; }

    /// <summary>One transaction of about <paramref name="ops"/> writes; false when the file refused it (writes paused).</summary>
    bool Step(int ops);
}

/// <summary>
/// Runs a randomised concurrency iteration for seeds 1, 2, ... within a time budget
/// (at least <c>min</c>, at most <c>max</c> iterations) and names the seed of a failure,
/// so it can be replayed alone.
/// </summary>
internal static class Interleavings
{
    /// <param name="iteration">One iteration for a seed; returns commits before, during and after the copy.</param>
    public static void Run(int min, int max, TimeSpan budget, Func<int, int[]> iteration, TestContext context)
    {
        var clock = Stopwatch.StartNew();
        var iterations = 0;
        var totals = new int[3];
        for (var seed = 1; iterations < max && (iterations < min || clock.Elapsed < budget); seed++, iterations++)
        {
            var counts = Seeded(seed, iteration);
            for (var i = 0; i < 3; i++) totals[i] += counts[i];
        }
        context.WriteLine($"{iterations} interleavings in {clock.Elapsed.TotalSeconds:F1} s; commits before/during/after the copy: {string.Join("/", totals)}");
    }

    private static int[] Seeded(int seed, Func<int, int[]> iteration)
    {
        try
        {
            return iteration(seed);
        }
        catch (Exception e) when (e is not AssertFailedException)
        {
            throw new AssertFailedException($"seed {seed}: {HotWriter.Describe(e)}\n{e.StackTrace}", e);
        }
        catch (AssertFailedException e)
        {
            throw new AssertFailedException($"seed {seed}: {e.Message}", e);
        }
    }

    /// <summary>A writer's loop: random transactions with random pauses, until refused (or told to stop). Failures are collected, not thrown.</summary>
    public static void WriteUntilRefused(IRandomWriter w, Random rng, int jitter, CommitCounter progress, ConcurrentQueue<string> failures, Func<bool> stop)
    {
        try
        {
            while (!stop())
            {
                if (!w.Step(rng.Next(1, 4))) return;
                progress.Add();
                switch (rng.Next(jitter + 2))
                {
                    case 0: break;
                    case 1: Thread.Yield(); break;
                    case 2: Thread.Sleep(0); break;
                    default: Thread.Sleep(rng.Next(2)); break;
                }
            }
        }
        catch (Exception e)
        {
            failures.Enqueue($"{w.Tag} after {w.Commits} commits: {HotWriter.Describe(e)}{w.FailureContext}");
        }
        finally
        {
            progress.End();
        }
    }

    /// <summary>
    /// One iteration of a concurrency test: writes before, during and after the copy, until drain.
    /// <paramref name="prepare"/> gives the writers their first rows; then each writes on its own
    /// thread (<see cref="WriteUntilRefused"/>) while the migration runs: some commits before it,
    /// an online MigMigrate that holds its snapshot at the progress line of a random table (or not
    /// at all) until more commits arrive, more commits after the copy, MigDrain (every writer must
    /// be refused), MigCutover. <paramref name="afterCutover"/> then checks the files, before the
    /// writers are disposed. Returns the commits before, during (while the copy held its snapshot)
    /// and after the copy.
    /// </summary>
    /// <param name="rng">The iteration's random source (after the writers were made from it).</param>
    /// <param name="writers">The writers; disposed at the end.</param>
    /// <param name="prepare">Runs first: seeds the writers' rows.</param>
    /// <param name="copiedTables">How many tables the copy reports progress for (the hold picks one of them, or none).</param>
    /// <param name="migrator">A migrator of the pair that reports its lines to the given log.</param>
    /// <param name="patience">How long to wait for writers, for each wait.</param>
    /// <param name="afterCutover">The checks of the cut-over pair, given the writers.</param>
    public static int[] CopyUnderWrites<TWriter>(Random rng, IReadOnlyList<TWriter> writers, Action prepare, int copiedTables,
        Func<Action<string>, Migrator> migrator, TimeSpan patience, Action<IReadOnlyList<TWriter>> afterCutover)
        where TWriter : IRandomWriter, IDisposable
    {
        var progress = new CommitCounter();
        var failures = new ConcurrentQueue<string>();
        var stop = false;
        var threads = new List<Thread>();
        try
        {
            prepare();
            var jitter = rng.Next(4);
            foreach (var w in writers)
            {
                var wrng = new Random(rng.Next());
                var thread = new Thread(() => WriteUntilRefused(w, wrng, jitter, progress, failures, () => Volatile.Read(ref stop))) { IsBackground = true, Name = w.Tag };
                threads.Add(thread);
                progress.Start();
                thread.Start();
            }

            // Before: the old service writes with no migration in sight.
            Assert.IsTrue(progress.WaitFor(rng.Next(1, 30), patience), $"writers made no progress before the migration: {string.Join("; ", failures)}");
            var before = progress.Total;

            // During: the copy reports progress from inside its snapshot; hold it there
            // (at a random table, or not at all) until the writers commit more.
            var holdAt = rng.Next(copiedTables + 1); // copiedTables: no hold
            var duringWanted = rng.Next(1, 40);
            var heldFrom = -1;
            var heldTo = -1;
            var copyLines = 0;
            var holding = migrator(line =>
            {
                if (!line.StartsWith("Mig: copy ", StringComparison.Ordinal)) return;
                if (copyLines++ != holdAt) return;
                heldFrom = progress.Total;
                if (!progress.WaitFor(heldFrom + duringWanted, patience))
                    failures.Enqueue($"writers could not commit while the copy held its snapshot ({progress.Total - heldFrom} of {duringWanted} commits in {patience.TotalSeconds} s)");
                heldTo = progress.Total;
            });
            var migrate = Task.Run(() => holding.Migrate(offline: false, allowDataLoss: false));
            Assert.IsTrue(migrate.Wait(TimeSpan.FromSeconds(90)), "Migrate did not finish");
            migrate.GetAwaiter().GetResult();
            Assert.IsTrue(failures.IsEmpty, string.Join("\n", failures));
            Assert.IsTrue(holdAt == copiedTables || heldTo >= 0, $"the copy reported {copyLines} progress lines; expected to hold at line {holdAt}");
            var during = progress.Total;

            // After: writes are captured; then drain refuses them while the writers keep trying.
            Assert.IsTrue(progress.WaitFor(during + rng.Next(0, 40), patience), $"writers made no progress after the copy: {string.Join("; ", failures)}");
            migrator(_ => { }).Drain();
            foreach (var t in threads)
                if (!t.Join(patience)) failures.Enqueue($"writer {t.Name} was not refused after drain");
            Assert.IsTrue(failures.IsEmpty, string.Join("\n", failures));
            foreach (var w in writers) Assert.IsTrue(w.Refused, $"{w.Tag} stopped without being refused");
            var final = progress.Total;

            migrator(_ => { }).Cutover();
            Assert.AreEqual("cut-over", migrator(_ => { }).Status().Phase);
            afterCutover(writers);
            return [before, heldTo >= 0 ? heldTo - heldFrom : 0, final - during];
        }
        finally
        {
            Volatile.Write(ref stop, true);
            foreach (var t in threads) t.Join(patience);
            foreach (var w in writers) w.Dispose();
        }
    }
}

/// <summary>Commits counted across writers; waiting on it is waiting on the writers, never on time.</summary>
internal sealed class CommitCounter
{
    private readonly object gate = new();
    private int total;
    private int running;

    public int Total
    {
        get { lock (gate) return total; }
    }

    public void Add()
    {
        lock (gate)
        {
            total++;
            Monitor.PulseAll(gate);
        }
    }

    public void Start()
    {
        lock (gate) running++;
    }

    public void End()
    {
        lock (gate)
        {
            running--;
            Monitor.PulseAll(gate);
        }
    }

    /// <summary>Waits until <paramref name="wanted"/> commits in all; false on timeout or when every writer has stopped short of it.</summary>
    public bool WaitFor(int wanted, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (gate)
        {
            while (total < wanted)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || running == 0) return false;
                Monitor.Wait(gate, left);
            }
            return true;
        }
    }
}
