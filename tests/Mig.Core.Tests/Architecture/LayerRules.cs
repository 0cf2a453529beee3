namespace Mig.Core.Tests.Architecture;

/// <summary>
/// The layers of Mig.Core, one per top folder, and which layers each may use.
/// Dependencies point one way: Protocol ← Schema ← (Sql | CodeGen) ← Migration;
/// Runtime (what apps call) uses Protocol only.
/// </summary>
internal static class LayerRules
{
    public static IReadOnlyDictionary<string, string[]> MayUse { get; } = new Dictionary<string, string[]>
    {
        ["Protocol"] = [],
        ["Schema"] = ["Protocol"],
        ["Sql"] = ["Protocol", "Schema"],
        ["CodeGen"] = ["Protocol", "Schema"],
        ["Migration"] = ["Protocol", "Schema", "Sql"],
        ["Runtime"] = ["Protocol"],
    };

    /// <summary>The layer of a file path relative to Mig.Core (its first folder), or null for files outside every layer.</summary>
    public static string? LayerOf(string relativePath)
    {
        var parts = relativePath.Replace('\\', '/').Split('/');
        return parts.Length > 1 && MayUse.ContainsKey(parts[0]) ? parts[0] : null;
    }

    /// <summary>True when code in layer <paramref name="from"/> may refer to a type declared in layer <paramref name="to"/>.</summary>
    public static bool Allowed(string from, string to) => from == to || MayUse[from].Contains(to);
}
