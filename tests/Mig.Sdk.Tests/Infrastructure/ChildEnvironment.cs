namespace Mig.Sdk.Tests.Infrastructure;

/// <summary>The environment of the processes the tests start.</summary>
internal static class ChildEnvironment
{
    /// <summary>
    /// Set by `dotnet test` (which runs in MSBuild) or by MSBuildLocator in this
    /// process; a child `dotnet build` must run as from a user's terminal. In
    /// particular MSBUILDENSURESTDOUTFORTASKPROCESSES=1 (set by `dotnet test`) makes
    /// MSBuild start worker nodes on the build's own stdout, so a reused node would
    /// hold the output pipe open long after the build.
    /// </summary>
    private static readonly string[] InheritedMSBuildVariables =
    [
        "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly",
        "MSBUILDNOINPROCNODE", "MSBUILDTERMINALLOGGER", "_MSBUILDTLENABLED",
        "MSBUILDENSURESTDOUTFORTASKPROCESSES", "MSBUILDNODEWINDOW", "MSBUILDFAILONDRIVEENUMERATINGWILDCARD",
    ];

    public static void RemoveInheritedMSBuildVariables(IDictionary<string, string?> environment)
    {
        foreach (var name in environment.Keys.Where(k => InheritedMSBuildVariables.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList())
            environment.Remove(name);
    }

    /// <summary>The environment of a `dotnet` child: the run's isolated NuGet cache, no telemetry, no node reuse unless asked.</summary>
    public static void Apply(IDictionary<string, string?> environment, DotNetOptions options)
    {
        RemoveInheritedMSBuildVariables(environment);
        environment["NUGET_PACKAGES"] = TestRun.NuGetPackages;
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["MSBUILDDISABLENODEREUSE"] = options.NodeReuse ? "0" : "1";
        // Every process of this run carries the marker, so leftovers (reused
        // MSBuild nodes) can be found and ended by id, and nothing else is touched.
        environment[TestRun.MarkerVariable] = TestRun.Marker;
        foreach (var (name, value) in options.Environment)
        {
            if (value is null) environment.Remove(name);
            else environment[name] = value;
        }
    }
}
