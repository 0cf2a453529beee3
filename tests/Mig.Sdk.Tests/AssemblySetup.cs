using Mig.Sdk.Tests.Infrastructure;

[assembly: DoNotParallelize]

namespace Mig.Sdk.Tests;

/// <summary>
/// Once per run: fresh packages in artifacts/packages (eng/pack.sh when any
/// source is newer), an isolated NuGet cache primed by one restore, and MSBuild
/// registered for in-process evaluation. Afterwards: leftover processes ended,
/// temp folders deleted.
/// </summary>
[TestClass]
public static class AssemblySetup
{
    [AssemblyInitialize]
    public static void Initialize(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // First, before anything can mention an MSBuild type.
        MSBuildHost.Register();
        TestRun.Start(context.WriteLine);
    }

    [AssemblyCleanup]
    public static void Cleanup() => TestRun.End();
}
