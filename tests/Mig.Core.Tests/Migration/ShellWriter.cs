using System.Globalization;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// A writer through the <c>sqlite3</c> shell, one process per transaction (another program, an older
/// SQLite): inserts an author, raises the score of its previous one, deletes every third. Its ledger
/// holds what the shell reported committed. <c>nameColumn</c> is the author's name column (<c>full_name</c> in v2).
/// </summary>
internal sealed class ShellWriter(string tag, string path, string nameColumn = "name") : IRandomWriter
{
    private long n;

    public string Tag { get; } = tag;
    public HotData Mine { get; } = new();
    public int Commits { get; private set; }
    public bool Refused { get; private set; }
    public string FailureContext { get; private set; } = "";

    public bool Step(int ops)
    {
        var name = $"{Tag}:{++n}";
        var previous = Mine.Authors.Count > 0 ? Mine.Authors.Keys.Max() : (long?)null;
        var script = ".timeout 10000\nBEGIN IMMEDIATE;\n" +
            (previous is { } p ? $"UPDATE author SET score = score + 1 WHERE id = {p};\n" : "") +
            (previous is { } d && n % 3 == 0 ? $"DELETE FROM author WHERE id = {d};\n" : "") +
            $"INSERT INTO author({nameColumn}, score) VALUES ('{name}', {n}) RETURNING id;\nCOMMIT;\n";
        var (code, output, error) = Sqlite3Shell.TryRun(path, script);
        if (code != 0)
        {
            FailureContext = error;
            if (!error.Contains(Protocol.WritesPausedMessage, StringComparison.Ordinal))
                throw new InvalidOperationException($"{Tag}: sqlite3 failed: {error}");
            Refused = true;
            return false;
        }
        if (previous is { } q)
        {
            if (n % 3 == 0) Mine.Authors.Remove(q);
            else Mine.Authors[q] = Mine.Authors[q] with { Score = Mine.Authors[q].Score + 1 };
        }
        Mine.Authors[long.Parse(output.Trim(), CultureInfo.InvariantCulture)] = new AuthorData(name, n);
        Commits++;
        return true;
    }
}
