using System.Globalization;
using System.Text;

namespace Mig.Core.Tests.Adversarial;

/// <summary>
/// A generated v1 and v2 for <see cref="AdversarialRevertTests"/>, and the SQL its writers run on either file.
/// v2 keeps some columns, renames some ([RenamedFrom]), turns some INTEGER columns into TEXT (a conversion
/// whose canonical values survive back), drops some (old-only: a revert keeps their values) and adds some
/// (nullable, or with a [Default]); it also adds a table. A write to the new file is "lossy" when it leaves
/// a value only v2 can hold: that is decided here by the generator's own rules, never by asking Mig.
/// </summary>
internal sealed class RevertShape
{
    public const string ExtraTable = "extra table";
    public const string AddedDefault = "7";

    /// <summary>Values of a TEXT column that look like integers but do not convert back to the same text.</summary>
    public static readonly string[] LossyTexts =
        ["'007'", "' 7'", "'7 '", "'7.0'", "'1e3'", "'9223372036854775808'", "'-9223372036854775809'", "'-0'", "'0x10'", "'+5'", "'1_000'", "''", "X'37'", "2.5", "CAST(X'3700' AS TEXT)"];

    /// <param name="Role">keep, rename, conv (INTEGER to TEXT), drop (old only), add (new only).</param>
    public sealed record Column(string Name, string Kind, string Role, string? NewName = null)
    {
        public bool InOld => Role != "add";
        public bool InNew => Role != "drop";
        public string V2Name => NewName ?? Name;
        /// <summary>The key is an AUTOINCREMENT one ([AutoIncPK]) in both schemas.</summary>
        public bool AutoInc { get; init; }
        /// <summary>The old table is hand-written with an INT PRIMARY KEY (not the rowid): v2 makes its key the rowid, which MigRevert cannot undo (MIG0081).</summary>
        public bool Legacy { get; init; }
    }

    /// <param name="Unique">The first column after the key is unique in both schemas; <paramref name="UniqueOld"/>: in v1 only.</param>
    public sealed record Table(string Name, IReadOnlyList<Column> Columns, bool Unique, bool UniqueOld = false)
    {
        /// <summary>v2 renames the table ([RenamedFrom]) to this, when not null.</summary>
        public string? NewName { get; init; }
        public string V2Name => NewName ?? Name;
        /// <summary>The key is an AUTOINCREMENT one ([AutoIncPK]) in both schemas.</summary>
        public bool AutoInc { get; init; }
        /// <summary>The old table is hand-written with an INT PRIMARY KEY (not the rowid): v2 makes its key the rowid, which MigRevert cannot undo (MIG0081).</summary>
        public bool Legacy { get; init; }
        public Column Key => Columns[0];
        public IEnumerable<Column> Old => Columns.Where(c => c.InOld);
        public IEnumerable<Column> New => Columns.Where(c => c.InNew);
    }

    public IReadOnlyList<Table> Tables { get; }
    public const string SeedKey = "777";

    /// <summary>The table v2 seeds a row into (key <see cref="SeedKey"/>, which no writer uses), or null.</summary>
    public Table? Seeded { get; private init; }
    public bool Drops => Tables.Any(t => t.Columns.Any(c => c.Role == "drop"));

    private RevertShape(IReadOnlyList<Table> tables) => Tables = tables;

    public static RevertShape Generate(Random rng, HostileNames names)
    {
        var kinds = new[] { "INTEGER", "REAL", "TEXT", "BLOB" };
        var tables = Enumerable.Range(0, rng.Next(1, 4)).Select(_ =>
        {
            var columns = new List<Column> { new(names.Next(), "ID", "key") };
            for (var i = rng.Next(1, 5); i > 0; i--)
            {
                // The first column is in both schemas, so v2's table has a column besides its key.
                var role = new[] { "keep", "keep", "rename", "conv", "conv", "drop" }[rng.Next(columns.Count == 1 ? 5 : 6)];
                columns.Add(new Column(names.Next(), role == "conv" ? "INTEGER" : kinds[rng.Next(4)], role, role == "rename" ? names.Next() : null));
            }
            // Added columns: "INTEGER" has [Default("7")], "TEXT" is nullable without a default.
            for (var i = rng.Next(0, 3); i > 0; i--) columns.Add(new Column(names.Next(), rng.Next(2) == 0 ? "INTEGER" : "TEXT", "add"));
            var unique = columns[1].Role is "keep" or "rename" ? rng.Next(4) : 0;
            return new Table(names.Next(), columns, unique == 1, unique == 2) { NewName = rng.Next(4) == 0 ? names.Next() : null, AutoInc = rng.Next(4) == 0 };
        }).Select(t => rng.Next(10) != 0 ? t : t with { Unique = false, UniqueOld = false, AutoInc = false, Legacy = true }).ToList();
        return new RevertShape(tables) { Seeded = !tables[0].Legacy && rng.Next(3) == 0 ? tables[0] : null };
    }

    public string Describe() => string.Join("; ", Tables.Select(t =>
        $"{t.Name}{(t.NewName is null ? "" : " -> " + t.NewName)}({string.Join(", ", t.Columns.Select(c => $"{c.Name} {c.Kind} {c.Role}{(c.NewName is null ? "" : " -> " + c.NewName)}"))}){(t.Unique ? " unique" : "")}{(t.UniqueOld ? " unique in v1" : "")}{(t.AutoInc ? " autoincrement" : "")}{(t.Legacy ? " legacy" : "")}"));

    public string Source(bool v2)
    {
        // One table every schema has, as in AdversarialTests.
        var b = new StringBuilder("[Table(\"anchor\")] [PK(nameof(Id))] public sealed record Anchor(long Id);\n");
        for (var i = 0; i < Tables.Count; i++)
        {
            var t = Tables[i];
            if (t.Legacy && !v2) continue;
            b.AppendLine($"[Table({HostileNames.CSharp(v2 ? t.V2Name : t.Name)})]");
            if (v2 && t.NewName is not null) b.AppendLine($"[RenamedFrom({HostileNames.CSharp(t.Name)})]");
            b.AppendLine(t.AutoInc ? "[AutoIncPK(nameof(P0))]" : "[PK(nameof(P0))]");
            if (t.Unique || (t.UniqueOld && !v2)) b.AppendLine("[Unique(nameof(P1))]");
            var parameters = new List<string>();
            for (var j = 0; j < t.Columns.Count; j++)
            {
                var c = t.Columns[j];
                if (v2 ? !c.InNew : !c.InOld) continue;
                if (v2 && c.Role == "add" && c.Kind == "INTEGER") b.AppendLine($"[Default(nameof(P{j}), \"{AddedDefault}\")]");
                var name = v2 ? c.V2Name : c.Name;
                var renamed = v2 && c.Role == "rename" ? $", RenamedFrom({HostileNames.CSharp(c.Name)})" : "";
                var kind = v2 && c.Role == "conv" ? "TEXT" : c.Kind;
                var type = kind switch { "ID" => "long", "INTEGER" => "long?", "REAL" => "double?", "TEXT" => "string?", _ => "byte[]?" };
                parameters.Add($"[Column({HostileNames.CSharp(name)}){renamed}] {type} P{j}");
            }
            b.AppendLine($"public sealed record T{i}({string.Join(", ", parameters)});");
        }
        if (v2) b.AppendLine($"[Table(\"{ExtraTable}\")] [PK(nameof(Id))] public sealed record Extra(long Id);");
        // A seed row in v2's first table: the migration adds it to the new file, a revert writes it back.
        if (v2 && Seeded is { } seeded)
            b.AppendLine($"public static class Seeds {{ public static T0 Row => new({string.Join(", ", seeded.New.Select(c => c.Role == "key" ? SeedKey : c.Role == "add" && c.Kind == "INTEGER" ? AddedDefault : "null"))}); }}");
        return b.ToString();
    }

    /// <summary>The old file's hand-written tables, as a legacy app made them.</summary>
    public IEnumerable<string> LegacySql() => Tables.Where(t => t.Legacy).Select(t =>
        $"CREATE TABLE {HostileNames.Sql(t.Name)}({string.Join(", ", t.Old.Select(c => $"{HostileNames.Sql(c.Name)} {(c.Role == "key" ? "INT PRIMARY KEY" : c.Kind)}"))})");

    /// <summary>An integer value a v1 INTEGER column that v2 converts to TEXT takes: the conversion keeps every integer.</summary>
    public static string IntegerOrNull(Random rng) => rng.Next(6) switch
    {
        0 => "NULL",
        1 => new[] { "9223372036854775807", "-9223372036854775808", "0", "-1" }[rng.Next(4)],
        _ => rng.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A key: <paramref name="band"/> 0 is the foreground writers' (1-40 and the largest rowid), 1 the background writer's.</summary>
    /// <paramref name="max"/>: the largest rowid may come up (not for an AUTOINCREMENT key: SQLite could then pick no other key).
    public static string Key(Random rng, int band, bool max = true) =>
        band == 0 && max && rng.Next(12) == 0 ? "9223372036854775807" : (band * 1000 + rng.Next(1, 40)).ToString(CultureInfo.InvariantCulture);
}
