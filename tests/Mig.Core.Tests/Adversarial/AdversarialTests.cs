using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Mig.Core.Tests.Migration;
using Mig.Migration;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests.Adversarial;

/// <summary>
/// Generates hostile input instead of listing it: schemas of hostile table and column names
/// (<see cref="HostileNames"/>), rows of edge values (<see cref="HostileValues"/>), writes while
/// the migration records from three writers (Mig's runtime, a raw connection on Mig's SQLite, the
/// system <c>sqlite3</c> shell, an older SQLite) including REPLACE and rowid moves, and operations
/// run at the wrong moment. The oracle: after cutover the new file holds exactly the old file's
/// values, byte for byte per value (<see cref="ValueDump"/>), and every refused operation threw a
/// MIG code and changed nothing that the oracle would see.
/// <para>
/// Seeded and reproducible: a failure names its seed. <c>MIG_ADVERSARIAL_ITERATIONS</c> sets how
/// many seeds run (default 6, for CI), <c>MIG_ADVERSARIAL_SEED</c> the first one:
/// <c>MIG_ADVERSARIAL_ITERATIONS=200 dotnet test tests/Mig.Core.Tests --filter Name~Adversarial</c>.
/// </para>
/// </summary>
[TestClass]
public sealed class AdversarialTests
{
    private const int LargeBytes = 40_000;

    public TestContext TestContext { get; set; } = null!;

    private sealed record Column(string Name, string Kind, string? RenamedTo);

    /// <param name="Legacy">
    /// Null for a table MigInit made from the DSL; else the old table is hand-written SQL whose key
    /// is not the rowid ("INT": an INT PRIMARY KEY, "DESC": INTEGER PRIMARY KEY DESC), so v2's
    /// INTEGER PRIMARY KEY changes rowids and replay goes through _id_mapping.
    /// </param>
    /// <param name="LegacyUnique">For a legacy table: "NOCASE" (a UNIQUE constraint with a collation on the second column), "PARTIAL" (a partial unique index), or null.</param>
    private sealed record Table(string Name, IReadOnlyList<Column> Columns, bool Unique, string? Legacy = null, string? LegacyUnique = null)
    {
        public IEnumerable<string> OldNames => Columns.Select(c => c.Name);
        public IEnumerable<string> NewNames => Columns.Select(c => c.RenamedTo ?? c.Name);
    }

    [TestMethod]
    public void HostileNamesValuesWritersAndOrdersLoseNothing()
    {
        AdversarialSeeds.Run("adversarial", TestContext, Iteration);
    }

    private void Iteration(int seed)
    {
        var rng = new Random(seed);
        var names = new HostileNames(rng);
        var values = new HostileValues(rng, LargeBytes);
        var tables = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => new Table(names.Next(),
            [.. Enumerable.Range(0, rng.Next(2, 5)).Select(i => new Column(names.Next(), i == 0 ? "ID" : new[] { "INTEGER", "REAL", "TEXT", "BLOB" }[rng.Next(4)], null))],
            rng.Next(4) == 0)).ToList();
        // v2 renames a column here and there ([RenamedFrom]) and adds a table.
        tables = [.. tables.Select(t => t with { Columns = [.. t.Columns.Select(c => c.Kind != "ID" && rng.Next(4) == 0 ? c with { RenamedTo = names.Next() } : c)] })];
        // Some old tables are hand-written, as a legacy app made them.
        tables = [.. tables.Select(t => rng.Next(3) != 0 ? t : t with
        {
            Unique = false,
            Legacy = rng.Next(2) == 0 ? "INT" : "DESC",
            LegacyUnique = t.Columns.Count < 2 ? null : new[] { null, "NOCASE", "PARTIAL" }[rng.Next(3)],
            Columns = [.. t.Columns.Select((c, i) => i == 1 ? c with { Kind = "TEXT" } : c)],
        })];
        TestContext.WriteLine($"seed {seed}: " + string.Join("; ", tables.Select(t => $"{t.Name}({string.Join(", ", t.Columns.Select(c => $"{c.Name}{(c.RenamedTo is null ? "" : " -> " + c.RenamedTo)} {c.Kind}"))}){(t.Unique ? " unique" : "")}{(t.Legacy is null ? "" : $" legacy {t.Legacy} {t.LegacyUnique}")}")));

        using var pair = MigrationPair.Create(Source(tables, v2: false), [.. tables.Where(t => t.Legacy is not null).SelectMany(LegacySql)]);
        var v2 = SchemaFixture.Model(Source(tables, v2: true));
        using (var c = MigrationPair.Open(pair.OldPath))
            foreach (var t in tables)
                for (var i = rng.Next(3, 15); i > 0; i--) HostileWriters.TryExecute(c, Insert(t, rng, values));

        // Each operation names the old file however an operator might spell it: as is, through a
        // symlink, through "..", relative to the working directory. All are one file and one pair.
        var spellings = Spellings(pair);
        var hash = SchemaHash.Compute(v2);
        Migrator Op() => new(v2, hash, spellings[rng.Next(spellings.Count)], pair.NewPath, pair.Log.Add);
        // Another checkout: another schema, whose computed new file is elsewhere.
        var other = SchemaFixture.Model(Source(tables, v2: true) + "[PK(nameof(Id))] public sealed record Elsewhere(long Id);");
        var otherCheckout = new Migrator(other, SchemaHash.Compute(other), spellings[rng.Next(spellings.Count)], pair.NewPath + ".other.db", pair.Log.Add);

        var migrator = Op();
        migrator.Migrate(offline: false, allowDataLoss: false);
        using var db = new MigDatabase(pair.OldPath);
        var rounds = rng.Next(3, 9);
        for (var round = 0; round < rounds; round++)
        {
            migrator = Op();
            if (rng.Next(5) == 0) Refused(() => new[] { () => migrator.Cutover(), () => migrator.Migrate(false, false), () => migrator.ArchiveOld(null) }[rng.Next(3)]());
            if (rng.Next(6) == 0) Refused(() => new[] { () => otherCheckout.Drain(), () => otherCheckout.Cutover(), () => otherCheckout.Migrate(false, false) }[rng.Next(3)]());
            var statements = Enumerable.Range(0, rng.Next(1, 7)).Select(_ => Write(tables[rng.Next(tables.Count)], rng, values)).ToList();
            HostileWriters.Write(rng.Next(3), db, pair.OldPath, statements);
        }

        Op().Drain();
        if (rng.Next(3) == 0) Op().Drain(); // resumable: a second drain applies nothing twice
        if (rng.Next(3) == 0) Refused(() => Op().Migrate(false, false));
        if (rng.Next(3) == 0) Refused(() => otherCheckout.Cutover());
        Op().Cutover();
        foreach (var t in tables)
        {
            // A legacy table's rows move to the rowid their key gives: compare them as a set.
            var old = ValueDump.Of(pair.OldPath, t.Name, [.. t.OldNames], withRowId: t.Legacy is null);
            var @new = ValueDump.Of(pair.NewPath, t.Name, [.. t.NewNames], withRowId: t.Legacy is null);
            if (t.Legacy is not null)
            {
                old.Sort(StringComparer.Ordinal);
                @new.Sort(StringComparer.Ordinal);
            }
            if (!old.SequenceEqual(@new))
                Assert.Fail($"{t.Name}: the new file differs from the old\nold:\n{Show(old)}\nnew:\n{Show(@new)}");
        }
        foreach (var wrong in new Action[] { () => Op().Reset(), () => Op().Drain(), () => Op().Migrate(false, false), () => otherCheckout.Reset() })
            if (rng.Next(2) == 0) Refused(wrong);
        Op().ArchiveOld(null);
        Assert.AreEqual(0L, pair.Scalar(pair.OldPath, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"), "archive removed every trigger Mig made");
    }

    /// <summary>The old file's path as given, through a symlink, through "..", and relative to the working directory.</summary>
    private static List<string> Spellings(MigrationPair pair)
    {
        var sub = Directory.CreateDirectory(Path.Combine(pair.Directory, "sub")).FullName;
        var link = Path.Combine(pair.Directory, "link-to-old.db");
        File.CreateSymbolicLink(link, pair.OldPath);
        return [pair.OldPath, link, Path.Combine(sub, "..", Path.GetFileName(pair.OldPath)), Path.GetRelativePath(Environment.CurrentDirectory, pair.OldPath)];
    }

    private static string Show(List<string> lines) => string.Join("\n", lines.Select(l => l.Length > 300 ? l[..300] + "..." : l));

    private static void Refused(Action operation) => HostileWriters.Refused(operation);

    private static IEnumerable<string> LegacySql(Table t)
    {
        var key = t.Legacy == "INT" ? "INT PRIMARY KEY" : "INTEGER PRIMARY KEY DESC";
        var columns = t.Columns.Select((c, i) => $"{HostileNames.Sql(c.Name)} {(i == 0 ? key : c.Kind)}");
        var unique = t.LegacyUnique == "NOCASE" ? $", UNIQUE ({HostileNames.Sql(t.Columns[1].Name)} COLLATE NOCASE)" : "";
        yield return $"CREATE TABLE {HostileNames.Sql(t.Name)}({string.Join(", ", columns)}{unique})";
        if (t.LegacyUnique == "PARTIAL")
            yield return $"CREATE UNIQUE INDEX {HostileNames.Sql("partial " + t.Name)} ON {HostileNames.Sql(t.Name)}({HostileNames.Sql(t.Columns[1].Name)}) WHERE length({HostileNames.Sql(t.Columns[1].Name)}) < 100";
    }

    private static string Source(IReadOnlyList<Table> tables, bool v2)
    {
        // One table every schema has, so a v1 of only hand-written tables still compiles.
        var b = new StringBuilder("[Table(\"anchor\")] [PK(nameof(Id))] public sealed record Anchor(long Id);\n");
        for (var i = 0; i < tables.Count; i++)
        {
            var t = tables[i];
            if (!v2 && t.Legacy is not null) continue;
            b.AppendLine($"[Table({HostileNames.CSharp(t.Name)})]");
            b.AppendLine("[PK(nameof(P0))]");
            if (t.Unique && t.Columns.Count > 1) b.AppendLine("[Unique(nameof(P1))]");
            var parameters = t.Columns.Select((c, j) =>
            {
                var name = v2 && c.RenamedTo is { } to ? to : c.Name;
                var renamed = v2 && c.RenamedTo is not null ? $", RenamedFrom({HostileNames.CSharp(c.Name)})" : "";
                var type = c.Kind switch { "ID" => "long", "INTEGER" => "long?", "REAL" => "double?", "TEXT" => "string?", _ => "byte[]?" };
                return $"[Column({HostileNames.CSharp(name)}){renamed}] {type} P{j}";
            });
            b.AppendLine($"public sealed record T{i}({string.Join(", ", parameters)});");
        }
        if (v2) b.AppendLine("[Table(\"extra table\")] [PK(nameof(Id))] public sealed record Extra(long Id);");
        return b.ToString();
    }

    private static string Insert(Table t, Random rng, HostileValues values) =>
        $"INSERT {(rng.Next(3) == 0 ? "OR REPLACE " : "")}INTO {HostileNames.Sql(t.Name)}({string.Join(", ", t.OldNames.Select(HostileNames.Sql))}) " +
        $"VALUES ({string.Join(", ", t.Columns.Select(c => c.Kind == "ID" ? Id(rng) : values.Next(c.Kind)))})";

    private static string Id(Random rng) => rng.Next(10) == 0 ? "9223372036854775807" : rng.Next(1, 40).ToString(CultureInfo.InvariantCulture);

    private static string Write(Table t, Random rng, HostileValues values)
    {
        var name = HostileNames.Sql(t.Name);
        var id = HostileNames.Sql(t.Columns[0].Name);
        var where = $"WHERE {id} = {Id(rng)}";
        var column = t.Columns[rng.Next(1, t.Columns.Count)];
        return rng.Next(6) switch
        {
            0 or 1 => Insert(t, rng, values),
            2 => $"UPDATE {(rng.Next(3) == 0 ? "OR REPLACE " : "")}{name} SET {HostileNames.Sql(column.Name)} = {values.Next(column.Kind)} {where}",
            3 => $"UPDATE {(rng.Next(2) == 0 ? "OR REPLACE " : "")}{name} SET {id} = {Id(rng)} {where}", // moves the row's rowid
            4 => $"DELETE FROM {name} {where}",
            _ => $"REPLACE INTO {name}({string.Join(", ", t.OldNames.Select(HostileNames.Sql))}) SELECT {string.Join(", ", t.Columns.Select(c => c.Kind == "ID" ? Id(rng) : HostileNames.Sql(c.Name)))} FROM {name} {where}",
        };
    }
}
