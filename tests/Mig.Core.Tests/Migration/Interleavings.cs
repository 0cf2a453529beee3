using System.Collections.Concurrent;
using System.Diagnostics;

namespace Mig.Core.Tests.Migration;

/// <summary>A writer of the concurrency tests: random transactions, one <see cref="Step"/> at a time.</summary>
internal interface IRandomWriter
{
    string Tag { get; }

    int Commits { get; }

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
    public static void WriteUntilRefused(IRandomWriter w, Random rng, int jitter, ConcurrencyTests.CommitCounter progress, ConcurrentQueue<string> failures, Func<bool> stop)
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
}
