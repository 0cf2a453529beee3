namespace Mig.MigrationBenchmarks;

/// <summary>Named series in the order they were first added (phase breakdowns).</summary>
internal sealed class Steps
{
    private readonly List<Series> order = [];
    private readonly Dictionary<string, Series> byName = new(StringComparer.Ordinal);

    public void Add(string name, double value)
    {
        if (!byName.TryGetValue(name, out var s))
        {
            s = new Series(name);
            byName[name] = s;
            order.Add(s);
        }
        s.Add(value);
    }

    public IReadOnlyList<Series> All => order;
    public Series? this[string name] => byName.GetValueOrDefault(name);
}

/// <summary>A markdown table builder.</summary>
internal sealed class Table(params string[] header)
{
    private readonly List<string[]> rows = [];

    public Table Row(params string[] cells)
    {
        rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var lines = new List<string>
        {
            "| " + string.Join(" | ", header) + " |",
            "|" + string.Join("|", header.Select((h, i) => i == 0 ? "---" : "---:")) + "|",
        };
        lines.AddRange(rows.Select(r => "| " + string.Join(" | ", r) + " |"));
        return string.Join("\n", lines) + "\n";
    }
}
