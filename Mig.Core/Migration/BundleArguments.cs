namespace Mig.Migration;

/// <summary>
/// The bundle's command line: <c>mig &lt;verb&gt; [--name value | --name=value | --flag]...</c>. Each verb
/// takes only the options that mean something to it; anything else is a usage error (exit 2), so
/// a mistyped option never runs a migration with a default instead.
/// </summary>
internal sealed class BundleArguments
{
    private static readonly string[] Flags = ["allow-data-loss", "offline", "json", "help", "force-pause"];
    private static readonly string[] Files = ["database", "database-dir", "new-database", "help"];
    private static readonly string[] Pair = [.. Files, "ignore-table"];
    private static readonly string[] Repeatable = ["ignore-table"];

    /// <summary>The options each verb accepts.</summary>
    public static IReadOnlyDictionary<string, string[]> VerbOptions { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["plan"] = [.. Pair, "offline", "json", "plan-file", "plan-sql", "plan-from", "allow-data-loss"],
        ["migrate"] = [.. Pair, "offline", "allow-data-loss", "hook"],
        ["status"] = [.. Pair, "status-file", "json"],
        ["drain"] = [.. Pair, "force-pause", "hook"],
        ["switch"] = [.. Pair, "force-pause", "allow-data-loss", "hook"],
        ["catch-up"] = Pair,
        ["verify"] = [.. Pair, "allow-data-loss"],
        ["cutover"] = [.. Pair, "allow-data-loss", "hook"],
        ["reset"] = [.. Pair, "hook"],
        ["revert"] = [.. Pair, "allow-data-loss", "hook"],
        ["archive-old"] = [.. Pair, "archive-to", "hook"],
        ["init"] = Files,
        ["script"] = ["out", "help"],
    };

    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> flags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> lists = new(StringComparer.Ordinal);

    private BundleArguments(string verb) => Verb = verb;

    public string Verb { get; }

    public bool Has(string flag) => flags.Contains(flag);

    public string? Value(string name) => values.GetValueOrDefault(name);

    /// <summary>Every value of a repeatable option, in order.</summary>
    public IReadOnlyList<string> All(string name) => lists.TryGetValue(name, out var l) ? l : [];

    public static BundleArguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0) throw new UsageException("missing verb");
        var verb = args[0];
        if (!VerbOptions.TryGetValue(verb, out var allowed))
            throw new UsageException($"unknown verb '{verb}' (verbs: {string.Join(", ", VerbOptions.Keys)})");
        var result = new BundleArguments(verb);
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                throw new UsageException($"unexpected argument '{arg}' (options start with --)");
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? arg[2..eq] : arg[2..];
            if (!allowed.Contains(name, StringComparer.Ordinal))
                throw new UsageException($"'{verb}' has no option --{name} (mig {verb} --help lists its options)");
            if (Flags.Contains(name, StringComparer.Ordinal))
            {
                if (eq > 0) throw new UsageException($"--{name} takes no value");
                result.flags.Add(name);
                continue;
            }
            var value = eq > 0 ? arg[(eq + 1)..] : i + 1 < args.Count ? args[++i] : throw new UsageException($"--{name} needs a value");
            if (value.Length == 0) throw new UsageException($"--{name} needs a value");
            if (Repeatable.Contains(name, StringComparer.Ordinal))
            {
                if (!result.lists.TryGetValue(name, out var list)) result.lists[name] = list = [];
                list.Add(value);
                continue;
            }
            if (!result.values.TryAdd(name, value)) throw new UsageException($"--{name} is given twice");
        }
        return result;
    }
}
