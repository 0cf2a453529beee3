using System.Diagnostics;

namespace Mig.Sdk.Tests.Infrastructure;

/// <summary>The Mig repository these tests were built from, and the packages it packs.</summary>
internal static class Repo
{
    /// <summary>The folder that holds Mig.sln, found by walking up from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The local feed eng/pack.sh fills.</summary>
    public static string PackagesDir => Path.Combine(Root, "artifacts", "packages");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Mig.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Mig.sln above {AppContext.BaseDirectory}; the tests must run from a build inside the repository.");
    }
}

/// <summary>
/// Makes sure artifacts/packages holds packages built from the current sources:
/// the tests exercise the packed SDK exactly as a user gets it, so a stale pack
/// would test old code.
/// </summary>
internal static class PackedPackages
{
    private static readonly string[] SourceFolders = ["Mig.Core", "Mig.Tasks", "Mig.Sdk", "Mig.AspNetCore"];
    private static readonly string[] SourceExtensions = [".cs", ".csproj", ".props", ".targets"];

    /// <summary>Packs when needed and returns the packed version (artifacts/packages/version.txt).</summary>
    public static string EnsureFresh(Action<string> log)
    {
        var reason = StaleReason();
        if (reason is not null)
        {
            log($"Mig.Sdk.Tests: packing ({reason}): bash eng/pack.sh");
            var result = Pack();
            // Another pack of the same tree at the same time (a second test run, a
            // developer) can pull the publish folder from under this one: one retry.
            if (result.ExitCode != 0 && StaleReason() is not null)
            {
                log($"Mig.Sdk.Tests: eng/pack.sh failed, trying once more:\n{result.StdOut}\n{result.StdErr}");
                result = Pack();
            }
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"eng/pack.sh failed with exit code {result.ExitCode}.\n{result.StdOut}\n{result.StdErr}");
            log(result.StdOut);
            if (StaleReason() is { } still)
                throw new InvalidOperationException($"eng/pack.sh succeeded but the packages are still stale: {still}");
        }
        return File.ReadAllText(Path.Combine(Repo.PackagesDir, "version.txt")).Trim();
    }

    private static ProcessResult Pack()
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = Repo.Root };
        psi.ArgumentList.Add(Path.Combine("eng", "pack.sh"));
        ChildEnvironment.RemoveInheritedMSBuildVariables(psi.Environment);
        return ProcessRunner.Run(psi, TimeSpan.FromMinutes(10));
    }

    /// <summary>Why the packages must be packed again, or null when they are fresh.</summary>
    private static string? StaleReason()
    {
        var versionFile = Path.Combine(Repo.PackagesDir, "version.txt");
        if (!File.Exists(versionFile)) return "artifacts/packages/version.txt is missing";
        var version = File.ReadAllText(versionFile).Trim();
        var packages = new[] { $"Mig.Sdk.{version}.nupkg", $"Mig.Core.{version}.nupkg", $"Mig.AspNetCore.{version}.nupkg" }.Select(n => Path.Combine(Repo.PackagesDir, n)).ToList();
        if (packages.FirstOrDefault(p => !File.Exists(p)) is { } missing) return $"{Path.GetFileName(missing)} is missing";
        // Mig.Sdk carries Mig.Core and Mig.Tasks in tools/, so its package is as new as
        // the whole pack. (An unchanged Mig.Core is not packed again, so its package
        // may be older.) pack.sh writes version.txt last, after every successful pack.
        var packedAt = new[] { packages[0], versionFile }.Max(File.GetLastWriteTimeUtc);
        var newest = SourceFolders.SelectMany(f => SourceFiles(Path.Combine(Repo.Root, f)))
            .Select(f => (File: f, Time: File.GetLastWriteTimeUtc(f)))
            .MaxBy(f => f.Time);
        return newest.File is not null && newest.Time > packedAt
            ? $"{Path.GetRelativePath(Repo.Root, newest.File)} is newer than the packages"
            : null;
    }

    private static IEnumerable<string> SourceFiles(string folder)
    {
        if (!Directory.Exists(folder)) yield break;
        foreach (var file in Directory.EnumerateFiles(folder))
            if (SourceExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase)) yield return file;
        foreach (var sub in Directory.EnumerateDirectories(folder))
        {
            var name = Path.GetFileName(sub);
            if (name is "bin" or "obj") continue;
            foreach (var file in SourceFiles(sub)) yield return file;
        }
    }
}
