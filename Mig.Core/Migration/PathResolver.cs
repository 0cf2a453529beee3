namespace Mig.Migration;

/// <summary>
/// The physical path of a file, so that every spelling of it (a symlink, a symlinked folder,
/// <c>..</c>, a relative path) names one pair and one lock. <see cref="Path.GetFullPath(string)"/>
/// alone is lexical: it turns <c>link/../x</c> into <c>x</c> where the kernel goes to the parent of
/// the link's target. Here each component is followed as the kernel does; a missing tail (a new
/// file not created yet) is kept as written below the resolved folder.
/// </summary>
internal static class PathResolver
{
    private const int MaxLinks = 40; // as the kernel's ELOOP limit

    private static readonly StringComparison Comparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>The path with every symlink and <c>..</c> resolved.</summary>
    public static string Resolve(string path)
    {
        var links = 0;
        return Resolve(path, ref links);
    }

    /// <summary>Whether two spellings name the same file.</summary>
    public static bool Same(string? a, string? b) =>
        a is not null && b is not null && string.Equals(Resolve(a), Resolve(b), Comparison);

    private static string Resolve(string path, ref int links)
    {
        // The current directory is physical already (getcwd); only what is appended needs resolving.
        var absolute = Path.IsPathRooted(path) ? path : Path.Combine(Directory.GetCurrentDirectory(), path);
        var root = Path.GetPathRoot(absolute) ?? "";
        var current = root;
        var parts = absolute[root.Length..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part == ".") continue;
            if (part == "..")
            {
                // current is physical, so its lexical parent is its real parent.
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }
            var next = Path.Combine(current, part);
            FileSystemInfo info = new FileInfo(next);
            if (info.LinkTarget is null && Directory.Exists(next)) info = new DirectoryInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks) return Path.GetFullPath(absolute); // a loop: the OS refuses it too; fall back to the spelling
                var resolvedTarget = Path.IsPathRooted(target) ? target : Path.Combine(current, target);
                next = Resolve(resolvedTarget, ref links);
            }
            else if (!info.Exists && !Directory.Exists(next))
            {
                // Nothing more exists on disk: the rest cannot be a link; normalise it lexically.
                return Path.GetFullPath(Path.Combine([next, .. parts[(i + 1)..]]));
            }
            current = next;
        }
        return current;
    }
}
