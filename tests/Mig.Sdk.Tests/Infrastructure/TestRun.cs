using System.Diagnostics;

namespace Mig.Sdk.Tests.Infrastructure;

/// <summary>
/// State shared by the whole test run: the packed Mig version, one temp folder
/// outside the repository, and in it one isolated NuGet packages folder, so the
/// tests never read or fill the user's global cache and always resolve the
/// freshly packed SDK.
/// </summary>
internal static class TestRun
{
    /// <summary>Environment variable every child process of this run carries.</summary>
    public const string MarkerVariable = "MIG_SDK_TESTS_RUN";

    private static string? root;
    private static string? version;

    /// <summary>The run's identity, the value of <see cref="MarkerVariable"/>.</summary>
    public static string Marker { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The run's temp folder (under <see cref="Path.GetTempPath"/>).</summary>
    public static string Root => root ?? throw new InvalidOperationException("The test run has not started ([AssemblyInitialize]).");

    /// <summary>The isolated NUGET_PACKAGES of the run.</summary>
    public static string NuGetPackages => Path.Combine(Root, "nuget-packages");

    /// <summary>The version eng/pack.sh packed (artifacts/packages/version.txt).</summary>
    public static string MigVersion => version ?? throw new InvalidOperationException("The test run has not started ([AssemblyInitialize]).");

    public static void Start(Action<string> log)
    {
        version = PackedPackages.EnsureFresh(log);
        root = Path.Combine(Path.GetTempPath(), "mig-sdk-tests-" + Marker[..12]);
        Directory.CreateDirectory(NuGetPackages);
        // For in-process evaluation: MSBuild's NuGet SDK resolver reads it from this process.
        Environment.SetEnvironmentVariable("NUGET_PACKAGES", NuGetPackages);

        try
        {
            // One restore fills the isolated cache with the SDK, Mig.Core and its
            // dependencies; every later consumer restores from there without the network.
            using var primer = Consumer.Create("Primer");
            var restore = primer.Restore();
            if (restore.ExitCode != 0) throw new InvalidOperationException($"Restoring a consumer of Mig {MigVersion} failed.\n{restore}");
            var sdk = Path.Combine(NuGetPackages, "mig.sdk", MigVersion.ToLowerInvariant());
            if (!Directory.Exists(sdk)) throw new InvalidOperationException($"The restore did not put Mig.Sdk into the isolated cache ({sdk}).\n{restore}");
        }
        catch
        {
            End(); // [AssemblyCleanup] may not run after a failed [AssemblyInitialize]
            throw;
        }
    }

    public static void End()
    {
        MarkedProcesses.EndAll(Marker);
        if (root is not null && Directory.Exists(root)) Consumer.DeleteDirectory(root);
    }
}

/// <summary>
/// Processes started by this run that outlive their build: MSBuild nodes when a
/// test turns node reuse on. They are found by the marker in their environment
/// (Linux /proc) and ended by id; nothing else is touched.
/// </summary>
internal static class MarkedProcesses
{
    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>
    /// Ids of the live processes whose marker is exactly <paramref name="marker"/>,
    /// or, when <paramref name="exact"/> is false, starts with it.
    /// </summary>
    public static IReadOnlySet<int> Find(string marker, bool exact = true)
    {
        var result = new HashSet<int>();
        if (!Supported) return result;
        var needle = System.Text.Encoding.UTF8.GetBytes($"{TestRun.MarkerVariable}={marker}" + (exact ? "\0" : ""));
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
                if (environ.AsSpan().IndexOf(needle) >= 0) result.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or another user's process.
            }
        }
        return result;
    }

    /// <summary>Id and command line of a process, for messages.</summary>
    public static string Describe(int pid)
    {
        try
        {
            return $"{pid}: {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{pid}: (gone)";
        }
    }

    /// <summary>Ends every live process whose marker starts with <paramref name="marker"/>, and waits for it.</summary>
    public static void EndAll(string marker)
    {
        foreach (var pid in Find(marker, exact: false))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(30));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already exited.
            }
        }
    }
}
