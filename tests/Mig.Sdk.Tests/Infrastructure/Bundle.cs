using System.Diagnostics;

namespace Mig.Sdk.Tests.Infrastructure;

/// <summary>
/// A migration bundle copied out of the project that built it, run as a server runs it: with
/// only a .NET runtime (no SDK), or with nothing at all.
/// </summary>
internal sealed class Bundle
{
    private Bundle(string directory, string executable)
    {
        Directory = directory;
        Executable = executable;
    }

    /// <summary>The folder the bundle was copied to.</summary>
    public string Directory { get; }

    /// <summary>The program, <c>mig</c> in <see cref="Directory"/>.</summary>
    public string Executable { get; }

    /// <summary>Copies the bundle folder of <paramref name="built"/> (MigBundle's item) into a fresh folder outside the project.</summary>
    public static Bundle CopyOf(string built)
    {
        var from = Path.GetDirectoryName(built)!;
        var to = Path.Combine(TestRun.Root, "bundle-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var file in System.IO.Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            // File.Copy keeps the mode on Unix, but say it: the program must stay executable.
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
        return new Bundle(to, Path.Combine(to, Path.GetFileName(built)));
    }

    /// <summary>
    /// A dotnet root with only the host and the shared runtime (no sdk/, no packs/), made once per run
    /// from the dotnet that runs the tests.
    /// </summary>
    public static string RuntimeOnlyDotnet()
    {
        var root = Path.Combine(TestRun.Root, "runtime-only-dotnet");
        if (System.IO.Directory.Exists(root)) return root;
        var real = RealDotnetRoot();
        var staging = root + ".partial";
        CopyTree(Path.Combine(real, "host"), Path.Combine(staging, "host"));
        CopyTree(Path.Combine(real, "shared", "Microsoft.NETCore.App"), Path.Combine(staging, "shared", "Microsoft.NETCore.App"));
        var muxer = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        File.Copy(Path.Combine(real, muxer), Path.Combine(staging, muxer));
        System.IO.Directory.Move(staging, root);
        return root;
    }

    /// <summary>The folder of the real dotnet (symlinks resolved): the one running the tests.</summary>
    public static string RealDotnetRoot()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h)
            ? h
            : Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : FindOnPath("dotnet");
        var resolved = new FileInfo(host).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? host;
        return Path.GetDirectoryName(resolved)!;
    }

    /// <summary>PATH without any folder that holds a <c>dotnet</c>.</summary>
    public static string PathWithoutDotnet() => string.Join(Path.PathSeparator,
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(d => !File.Exists(Path.Combine(d, "dotnet")) && !File.Exists(Path.Combine(d, "dotnet.exe"))));

    /// <summary>
    /// Runs <c>mig arguments...</c> in <paramref name="workingDirectory"/>; the environment is the
    /// test's without dotnet on PATH and without DOTNET_ROOT/DOTNET_HOST_PATH/MSBuild variables, plus
    /// <paramref name="dotnetRoot"/> as DOTNET_ROOT when given.
    /// </summary>
    public ProcessResult Run(string workingDirectory, string? dotnetRoot, params string[] arguments) =>
        Start(Executable, arguments, workingDirectory, dotnetRoot);

    /// <summary>Runs <c>&lt;dotnetRoot&gt;/dotnet mig.dll arguments...</c>: the muxer of that root, which has no SDK.</summary>
    public ProcessResult RunWithMuxer(string workingDirectory, string dotnetRoot, params string[] arguments) =>
        Start(Path.Combine(dotnetRoot, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"), [Path.Combine(Directory, "mig.dll"), .. arguments], workingDirectory, dotnetRoot);

    private static ProcessResult Start(string program, IEnumerable<string> arguments, string workingDirectory, string? dotnetRoot)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        ChildEnvironment.RemoveInheritedMSBuildVariables(psi.Environment);
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(name);
        psi.Environment["PATH"] = PathWithoutDotnet();
        if (dotnetRoot is not null) psi.Environment["DOTNET_ROOT"] = dotnetRoot;
        psi.Environment[TestRun.MarkerVariable] = TestRun.Marker;
        return ProcessRunner.Run(psi, TimeSpan.FromMinutes(2));
    }

    private static string FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"No {name} on PATH.");

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in System.IO.Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            System.IO.Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        System.IO.Directory.CreateDirectory(to);
        foreach (var file in System.IO.Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
