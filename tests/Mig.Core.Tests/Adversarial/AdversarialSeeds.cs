using System.Diagnostics;

namespace Mig.Core.Tests.Adversarial;

/// <summary>
/// Runs an adversarial suite's seeds: <c>MIG_ADVERSARIAL_ITERATIONS</c> of them (default 6, for CI) from
/// <c>MIG_ADVERSARIAL_SEED</c> (default 1); a failure names its seed and how to rerun it alone.
/// </summary>
internal static class AdversarialSeeds
{
    private const int DefaultIterations = 6;

    public static void Run(string suite, TestContext context, Action<int> iteration, Action? after = null)
    {
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("MIG_ADVERSARIAL_ITERATIONS"), out var n) ? n : DefaultIterations;
        var first = int.TryParse(Environment.GetEnvironmentVariable("MIG_ADVERSARIAL_SEED"), out var s) ? s : 1;
        var clock = Stopwatch.StartNew();
        for (var seed = first; seed < first + iterations; seed++)
        {
            try
            {
                iteration(seed);
            }
            catch (Exception e)
            {
                throw new AssertFailedException($"{suite} seed {seed} (rerun: MIG_ADVERSARIAL_SEED={seed} MIG_ADVERSARIAL_ITERATIONS=1): {e.GetType().Name}: {e.Message}\n{e.StackTrace}", e);
            }
            finally
            {
                after?.Invoke();
            }
        }
        context.WriteLine($"{iterations} {suite} seeds from {first} in {clock.Elapsed.TotalSeconds:F1} s");
    }
}
