using System.Diagnostics;

namespace Mig;

/// <summary>
/// Mig builds a file under a temporary name beside its final one, <c>.&lt;name&gt;.&lt;pid&gt;[.&lt;guid&gt;].tmp</c>,
/// and renames it when complete; a kill leaves the temporary file behind. Before building the same name
/// again, Mig removes those whose process is gone, and one with its own process id: in a container the
/// app is often process 1 again after a restart, and would otherwise open the half-built file it left.
/// </summary>
internal static class TempFiles
{
    /// <summary>The temporary name for building <paramref name="path"/> in this process.</summary>
    public static string For(string path) => Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");

    /// <summary>A temporary name for <paramref name="path"/> no other call shares.</summary>
    public static string Unique(string path) => Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    /// <summary>Removes the temporary files (and their journals) of <paramref name="path"/> left by a process that is gone or by this process id.</summary>
    public static void RemoveLeftOver(string path)
    {
        var dir = Path.GetDirectoryName(path)!;
        var prefix = $".{Path.GetFileName(path)}.";
        if (!Directory.Exists(dir)) return;
        foreach (var file in Directory.EnumerateFiles(dir, "*.tmp"))
        {
            var name = Path.GetFileName(file);
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var pidText = name[prefix.Length..^".tmp".Length].Split('.')[0];
            if (!int.TryParse(pidText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)) continue;
            // A Unique() name of this process may be another call's, still building: only the plain one is surely left over.
            var ours = pid == Environment.ProcessId;
            if (ours ? name != $"{prefix}{pid}.tmp" : IsRunning(pid)) continue;
            foreach (var f in new[] { file, file + "-journal", file + "-wal", file + "-shm" })
                try { File.Delete(f); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; } // no such process
        catch (InvalidOperationException) { return false; }
    }
}
