using System.Diagnostics;

namespace Mig.Core.Tests.Migration;

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
}
