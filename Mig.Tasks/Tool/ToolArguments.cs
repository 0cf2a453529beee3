using Mig.Migration;

namespace Mig.Tasks.Tool;

/// <summary>
/// The tool's command line: a verb, then <c>--name value</c> pairs (names may
/// repeat). <c>@file</c> reads more arguments from a response file, one a line,
/// which is how the MSBuild tasks pass long reference lists.
/// </summary>
internal sealed class ToolArguments
{
    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);

    public string Verb { get; }

    private ToolArguments(string verb) => Verb = verb;

    public static ToolArguments Parse(IReadOnlyList<string> args)
    {
        var expanded = new List<string>();
        foreach (var a in args)
        {
            if (a.StartsWith('@') && a.Length > 1)
                expanded.AddRange(File.ReadAllLines(a[1..]).Where(l => l.Length > 0).Select(Unquote));
            else expanded.Add(a);
        }
        if (expanded.Count == 0 || expanded[0].StartsWith("--", StringComparison.Ordinal))
            throw new UsageException("missing verb (compile, script, init)");
        var result = new ToolArguments(expanded[0]);
        for (var i = 1; i < expanded.Count; i++)
        {
            var name = expanded[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= expanded.Count)
                throw new UsageException($"expected '--name value' at '{name}'");
            if (!result.values.TryGetValue(name[2..], out var list)) result.values[name[2..]] = list = [];
            list.Add(expanded[++i]);
        }
        return result;
    }

    // MSBuild's response files quote paths with spaces.
    private static string Unquote(string line) =>
        line.Length >= 2 && line[0] == '"' && line[^1] == '"' ? line[1..^1] : line;

    public IReadOnlyList<string> All(string name) => values.TryGetValue(name, out var list) ? list : [];

    public string? Optional(string name) => values.TryGetValue(name, out var list) ? list[^1] : null;

    public string Required(string name) => Optional(name) ?? throw new UsageException($"{Verb} needs --{name}");
}
