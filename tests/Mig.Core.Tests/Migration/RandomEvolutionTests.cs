using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Mig.Migration;
using Mig.Sql;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// Random schema evolution: a v1 schema as C# source (INTEGER and TEXT keys, keyless
/// tables, a foreign key), random rows (NULLs and BLOBs included), a random v2 edit set (tables and columns added, dropped and
/// renamed with [RenamedFrom], TEXT keys of numbers becoming INTEGER PRIMARY KEYs, types changed between INTEGER, TEXT and REAL with
/// values that survive, nullability changed with defaults), migrated offline and
/// online (with captured writes, drain and cutover). The new file is checked row
/// by row against an expectation computed here from the rows and the edit set,
/// sharing no code with the planner or the copier.
/// </summary>
[TestClass]
public sealed class RandomEvolutionTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    [DataRow(4)]
    [DataRow(5)]
    [DataRow(6)]
    [DataRow(7)]
    [DataRow(8)]
    [DataRow(9)]
    [DataRow(10)]
    [DataRow(11)]
    [DataRow(12)]
    public void EvolvesAndMigratesOfflineAndOnline(int seed)
    {
        var scenario = Scenario.Generate(seed);
        var clock = Stopwatch.StartNew();
        try
        {
            Run(scenario);
        }
        catch (Exception e) when (e is not AssertInconclusiveException)
        {
            throw new AssertFailedException(
                $"Random evolution failed for seed {seed} (rerun with [DataRow({seed})]): {e.Message}\n--- v1 ---\n{scenario.V1Source}\n--- v2 ---\n{scenario.V2Source}\n--- writes ---\n{string.Join("\n", scenario.Journal)}", e);
        }
        Console.WriteLine($"seed {seed}: {clock.ElapsedMilliseconds} ms{string.Concat(scenario.V1.Where(t => t.KeyBecomesRowId).Select(t => $", {t.Sql}: key becomes the rowid"))}");
    }

    private static void Run(Scenario s)
    {
        var v1 = SchemaFixture.Model(s.V1Source);
        var v2 = SchemaFixture.Model(s.V2Source);
        using var pair = MigrationPair.Create(v1);
        s.Load(pair.OldPath);
        s.AssertOldFileMatches(pair.OldPath, "after loading v1");
        var oldHash = MigrationPair.Hash(pair.OldPath);

        // The plan, against what the edit set says.
        var offline = pair.Migrator(v2, Path.Combine(pair.Directory, "offline.db"));
        var plan = offline.Plan(online: false);
        Assert.IsEmpty(plan.Errors, string.Join("; ", plan.Errors.Select(e => e.Message)));
        foreach (var t in s.V2)
        {
            var tp = plan.Tables.Single(p => p.Table.Name == t.Sql);
            Assert.AreEqual(t.Source?.Sql, tp.Source?.Name, $"source of {t.Sql}");
            Assert.AreEqual(t.Source?.KeyBecomesRowId ?? false, tp.RowIdChanges, $"rowids of {t.Sql} change");
            foreach (var c in t.Columns)
                Assert.AreEqual(t.Source is null ? null : c.Source?.Sql, tp.Columns.Single(p => p.Column.Name == c.Sql).Source, $"source of {t.Sql}.{c.Sql}");
        }
        var expectedLosses = s.ExpectedLosses();
        CollectionAssert.AreEquivalent(expectedLosses, plan.Losses.Select(l => $"{l.Table}.{l.Column}").ToList(),
            "losses: " + string.Join("; ", plan.Losses.Select(l => l.What)));
        var allow = expectedLosses.Count > 0;
        if (allow)
            Assert.AreEqual(MigCode.DataLoss, Assert.ThrowsExactly<MigOperationException>(() => offline.Migrate(offline: true, allowDataLoss: false)).Code);

        // Offline.
        offline.Migrate(offline: true, allowDataLoss: allow);
        Assert.AreEqual(oldHash, MigrationPair.Hash(pair.OldPath), "offline leaves the old file byte-identical");
        s.AssertNewFileMatches(Path.Combine(pair.Directory, "offline.db"), "offline");

        // Online: copy, captured writes, drain, cutover.
        var online = pair.Migrator(v2, pair.NewPath);
        online.Migrate(offline: false, allowDataLoss: allow);
        s.AssertNewFileMatches(pair.NewPath, "online, right after the copy");
        s.RandomWrites(pair.OldPath);
        s.AssertOldFileMatches(pair.OldPath, "after the captured writes");
        online.Drain();
        // Writes while recording can put data where the plan saw none (a dropped column or table):
        // a loss nobody accepted, which cutover refuses until it is.
        var added = s.ExpectedLosses().Except(allow ? expectedLosses : []).ToList();
        if (added.Count > 0)
        {
            var refused = Assert.ThrowsExactly<MigOperationException>(() => online.Cutover(), "losses added while recording: " + string.Join(", ", added));
            Assert.AreEqual(MigCode.DataLoss, refused.Code, refused.Message);
            foreach (var loss in added)
                StringAssert.Contains(refused.Message, loss.EndsWith('.') ? $"table {loss.TrimEnd('.')} is dropped" : $"column {loss} is dropped");
        }
        online.Cutover(allowDataLoss: added.Count > 0);
        Assert.AreEqual(Protocol.Ready, pair.Scalar(pair.NewPath, $"SELECT status FROM {Protocol.StatusTable}"));
        s.AssertNewFileMatches(pair.NewPath, "online, after drain and cutover");
    }

    private enum Kind { Integer, Text, Real, Blob }

    private sealed class OldColumn(string prop, Kind kind, bool nullable)
    {
        public string Prop { get; } = prop;
        public string Sql { get; init; } = Mig.Schema.Naming.ToSnakeCase(prop);
        public Kind Kind { get; } = kind;
        public bool Nullable { get; } = nullable;
        /// <summary>The type v2 converts it to; its values are drawn so they survive that conversion.</summary>
        public Kind? ConvertTo { get; set; }
        public OldTable? References { get; init; }
        public bool IsId { get; init; }
    }

    private sealed class OldTable(string type, bool keyed)
    {
        public string Type { get; } = type;
        public string Sql { get; } = Mig.Schema.Naming.ToSnakeCase(type);
        public bool Keyed { get; } = keyed;
        public List<OldColumn> Columns { get; } = [];
        /// <summary>rowid -> values in column order (the id first for a keyed table).</summary>
        public SortedDictionary<long, object?[]> Rows { get; } = [];
        public bool Dropped { get; set; }
        /// <summary>A TEXT key of numbers that v2 makes the INTEGER PRIMARY KEY: the key is kept, the rowid becomes it.</summary>
        public bool KeyBecomesRowId { get; set; }
    }

    private sealed class NewColumn(string prop, Kind kind, bool nullable)
    {
        public string Prop { get; } = prop;
        public string Sql { get; init; } = Mig.Schema.Naming.ToSnakeCase(prop);
        public Kind Kind { get; } = kind;
        public bool Nullable { get; } = nullable;
        public OldColumn? Source { get; init; }
        public bool Renamed { get; init; }
        /// <summary>The [Default]/[DefaultExpr] attribute, and the value it gives.</summary>
        public string? DefaultAttribute { get; set; }
        public object? DefaultValue { get; set; }
        public NewTable? References { get; init; }
        public bool IsId { get; init; }
    }

    private sealed class NewTable(string type, bool keyed)
    {
        public string Type { get; } = type;
        public string Sql { get; } = Mig.Schema.Naming.ToSnakeCase(type);
        public bool Keyed { get; } = keyed;
        public OldTable? Source { get; init; }
        public bool Renamed { get; init; }
        public List<NewColumn> Columns { get; } = [];
    }

    private sealed class Scenario
    {
        private static readonly string[] TableWords =
            ["Apple", "Banana", "Cherry", "Damson", "Elder", "Fig", "Guava", "Kiwi", "Lemon", "Mango", "Nectarine", "Olive", "Papaya", "Quince", "Raisin", "Sloe", "Tamarind"];
        private static readonly string[] ColumnWords =
            ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliet", "Kilo", "Lima", "Mike", "November", "Oscar", "Papa",
             "Quebec", "Romeo", "Sierra", "Tango", "Uniform", "Victor", "Whiskey", "Xray", "Yankee", "Zulu", "Amber", "Basil", "Cedar", "Dune", "Ember", "Fjord",
             "Grove", "Harbor", "Island", "Jade", "Karma", "Lotus", "Maple", "Nectar", "Onyx", "Pearl", "Quartz", "River", "Stone", "Tulip", "Umber", "Vale"];

        private readonly Random rng;
        // Its own stream, so choosing key type changes leaves every other draw of a seed as it was.
        private readonly Random keyRng;
        private readonly Queue<string> tableNames;
        private readonly Queue<string> columnNames;

        public List<OldTable> V1 { get; } = [];
        public List<NewTable> V2 { get; } = [];
        public string V1Source { get; private set; } = "";
        public string V2Source { get; private set; } = "";
        public List<string> Journal { get; } = [];

        private Scenario(int seed)
        {
            rng = new Random(seed);
            keyRng = new Random(seed + 1_000_003);
            tableNames = new Queue<string>(TableWords.OrderBy(_ => rng.Next()));
            columnNames = new Queue<string>(ColumnWords.OrderBy(_ => rng.Next()));
        }

        private string FreshColumn() => columnNames.Count > 0 ? columnNames.Dequeue() : throw new InvalidOperationException("out of column names");

        private bool Chance(double p) => rng.NextDouble() < p;

        private T Pick<T>(IReadOnlyList<T> items) => items[rng.Next(items.Count)];

        public static Scenario Generate(int seed)
        {
            var s = new Scenario(seed);
            s.MakeV1();
            s.MakeV2();
            s.MakeRows();
            s.V1Source = Render(s.V1.Select(t => (t.Type, t.Columns.FirstOrDefault(c => c.IsId)?.Prop, (string?)null,
                t.Columns.Select(c => (c.Prop, TypeName(c.Kind, c.Nullable, c.References?.Type), (string?)null)).ToList(), new List<string>())));
            s.V2Source = Render(s.V2.Select(t => (t.Type, t.Columns.FirstOrDefault(c => c.IsId)?.Prop, t.Renamed ? t.Source!.Sql : null,
                t.Columns.Select(c => (c.Prop, TypeName(c.Kind, c.Nullable, c.References?.Type), c.Renamed ? c.Source!.Sql : null)).ToList(),
                t.Columns.Where(c => c.DefaultAttribute is not null).Select(c => c.DefaultAttribute!).ToList())));
            return s;
        }

        private void MakeV1()
        {
            var count = rng.Next(2, 5);
            for (var i = 0; i < count; i++)
            {
                var keyed = i == 0 || Chance(0.7);
                var t = new OldTable(tableNames.Dequeue(), keyed);
                // Most keys are the rowid; a TEXT key keeps its own rowid, which the copy must carry.
                if (keyed) t.Columns.Add(i > 0 && Chance(0.3) ? new OldColumn("Code", Kind.Text, false) { IsId = true } : new OldColumn("Id", Kind.Integer, false) { IsId = true });
                var columns = rng.Next(1, 5);
                for (var j = 0; j < columns; j++)
                    t.Columns.Add(new OldColumn(FreshColumn(), (Kind)rng.Next(4), Chance(0.4)));
                V1.Add(t);
            }
            // The first table is the parent of the second.
            var child = V1[1];
            var fk = FreshColumn();
            child.Columns.Insert(rng.Next(child.Keyed ? 1 : 0, child.Columns.Count + 1),
                new OldColumn(fk, Kind.Integer, Chance(0.5)) { References = V1[0], Sql = Mig.Schema.Naming.ToSnakeCase(fk) + "_id" });
        }

        private void MakeV2()
        {
            var map = new Dictionary<OldTable, NewTable>();
            foreach (var old in V1)
            {
                var inFk = old == V1[0] || old == V1[1];
                var fate = rng.NextDouble();
                if (!inFk && fate < 0.25)
                {
                    old.Dropped = true;
                    continue;
                }
                var renamed = fate > 0.75;
                var t = new NewTable(renamed ? tableNames.Dequeue() : old.Type, old.Keyed) { Source = old, Renamed = renamed };
                map[old] = t;
                V2.Add(t);
            }
            foreach (var t in V2)
            {
                var old = t.Source!;
                var columns = new List<NewColumn>();
                foreach (var c in old.Columns)
                {
                    if (c.IsId)
                    {
                        // A TEXT key may become an INTEGER PRIMARY KEY (its codes are then numbers); online
                        // the rowids change and captured writes are followed through _id_mapping.
                        old.KeyBecomesRowId = c.Kind == Kind.Text && keyRng.NextDouble() < 0.75;
                        if (old.KeyBecomesRowId) c.ConvertTo = Kind.Integer;
                        t.Columns.Add(new NewColumn(c.Prop, old.KeyBecomesRowId ? Kind.Integer : c.Kind, false) { Source = c, IsId = true });
                        continue;
                    }
                    if (c.References is not null)
                    {
                        columns.Add(new NewColumn(c.Prop, Kind.Integer, c.Nullable) { Source = c, References = map[c.References], Sql = c.Sql });
                        continue;
                    }
                    if (Chance(0.15)) continue; // dropped
                    var renamed = Chance(0.2);
                    var kind = c.Kind;
                    if (c.Kind != Kind.Blob && Chance(0.3))
                    {
                        kind = Pick(new[] { Kind.Integer, Kind.Text, Kind.Real }.Where(k => k != c.Kind).ToList());
                        c.ConvertTo = kind;
                    }
                    var nullable = c.Nullable;
                    if (Chance(0.25)) nullable = !nullable;
                    var n = new NewColumn(renamed ? FreshColumn() : c.Prop, kind, nullable) { Source = c, Renamed = renamed };
                    // A column that becomes NOT NULL takes a default where it was NULL; sometimes a kept column gets one too.
                    if ((c.Nullable && !nullable) || Chance(0.1)) SetDefault(n);
                    columns.Add(n);
                }
                var added = rng.Next(columns.Count == 0 && !t.Keyed ? 1 : 0, 3); // a table needs a column
                for (var i = 0; i < added; i++)
                {
                    var n = new NewColumn(FreshColumn(), (Kind)rng.Next(4), Chance(0.5));
                    if (!n.Nullable || Chance(0.5)) SetDefault(n);
                    columns.Add(n);
                }
                // Matching is by name, never by position.
                t.Columns.AddRange(columns.OrderBy(_ => rng.Next()));
            }
            if (Chance(0.5))
            {
                var t = new NewTable(tableNames.Dequeue(), Chance(0.7));
                if (t.Keyed) t.Columns.Add(new NewColumn("Id", Kind.Integer, false) { IsId = true });
                for (var i = rng.Next(1, 3); i > 0; i--) t.Columns.Add(new NewColumn(FreshColumn(), (Kind)rng.Next(4), Chance(0.5)));
                V2.Add(t);
            }
        }

        private void SetDefault(NewColumn c)
        {
            // The attribute, its SQL, and the value SQLite computes from it, written out here.
            var options = c.Kind switch
            {
                Kind.Integer => new (string, string, object)[] { ("Default", "7", 7L), ("Default", "-42", -42L), ("DefaultExpr", "6 * 7", 42L), ("DefaultExpr", "length('hello')", 5L) },
                Kind.Text => [("Default", "'dflt'", "dflt"), ("Default", "'it''s'", "it's"), ("DefaultExpr", "'ab' || 'cd'", "abcd"),
                              ("DefaultExpr", "strftime('%Y-%m-%d', '2024-02-29', '+1 day')", "2024-03-01")],
                Kind.Real => [("Default", "2.5", 2.5), ("Default", "-0.125", -0.125), ("DefaultExpr", "7 / 2.0", 3.5), ("DefaultExpr", "1.5 * 3", 4.5)],
                _ => [("Default", "x'CAFE'", new byte[] { 0xCA, 0xFE }), ("DefaultExpr", "zeroblob(2)", new byte[2])],
            };
            var (attribute, sql, value) = Pick(options);
            c.DefaultAttribute = $"[{attribute}(nameof({c.Prop}), \"{sql}\")]";
            c.DefaultValue = value;
        }

        private void MakeRows()
        {
            foreach (var t in V1)
            {
                var count = t == V1[0] ? rng.Next(2, 10) : Chance(0.15) ? 0 : rng.Next(1, 12);
                for (var i = 0; i < count; i++)
                {
                    var rowid = FreshKey(t);
                    t.Rows[rowid] = NewRow(t, rowid)!;
                }
            }
        }

        /// <summary>A key not used in the table yet; sparse and unordered, so kept keys show.</summary>
        private long FreshKey(OldTable t)
        {
            while (true)
            {
                var k = rng.Next(1, 5000);
                if (!t.Rows.ContainsKey(k)) return k;
            }
        }

        private string FreshCode(OldTable t)
        {
            while (true)
            {
                var n = rng.Next(1, 100_000).ToString(CultureInfo.InvariantCulture);
                var code = t.KeyBecomesRowId ? n : "k" + n;
                if (!t.Rows.Values.Any(r => (string?)r[0] == code)) return code;
            }
        }

        private object?[]? NewRow(OldTable t, long rowid)
        {
            var row = new object?[t.Columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                var c = t.Columns[i];
                if (c.IsId) row[i] = c.Kind == Kind.Integer ? rowid : FreshCode(t);
                else if (c.References is { } parent)
                {
                    if (parent.Rows.Count == 0 || (c.Nullable && Chance(0.2)))
                    {
                        if (!c.Nullable) return null;
                        row[i] = null;
                    }
                    else row[i] = Pick(parent.Rows.Keys.ToList());
                }
                else row[i] = Value(c);
            }
            return row;
        }

        /// <summary>A random value of the column, one that survives the conversion v2 makes.</summary>
        private object? Value(OldColumn c)
        {
            if (c.Nullable && Chance(0.2)) return null;
            return (c.Kind, c.ConvertTo) switch
            {
                (Kind.Integer, Kind.Real) => (long)rng.Next(-1_000_000, 1_000_000) * rng.Next(1, 1000),
                (Kind.Integer, _) => Pick(new Func<long>[] { () => rng.Next(-100, 100), () => rng.NextInt64(long.MinValue, long.MaxValue), () => long.MaxValue, () => long.MinValue, () => (1L << 53) + 1 })(),
                (Kind.Text, Kind.Integer) => Pick(new Func<long>[] { () => rng.Next(-1000, 1000), () => rng.NextInt64(long.MinValue, long.MaxValue) })().ToString(CultureInfo.InvariantCulture),
                (Kind.Text, Kind.Real) => Chance(0.5) ? rng.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture) : Quarter().ToString("R", CultureInfo.InvariantCulture),
                (Kind.Text, _) => RandomText(),
                (Kind.Real, Kind.Integer) => (double)rng.Next(-1_000_000, 1_000_000),
                (Kind.Real, Kind.Text) => Quarter(),
                (Kind.Real, _) => Pick(new Func<double>[] { () => (rng.NextDouble() - 0.5) * 1e6, Quarter, () => rng.NextDouble() * 1e300, () => 1.0 / rng.Next(1, 1000), () => 3.0 })(),
                _ => RandomBytes(),
            };
        }

        /// <summary>A non-integral multiple of 1/4 below 1000: its text form is short and exact.</summary>
        private double Quarter()
        {
            var k = rng.Next(-4000, 4000);
            if (k % 4 == 0) k++;
            return k / 4.0;
        }

        private string RandomText()
        {
            string[] pieces = ["a", "Z", "é", "ß", "😀", "'", "\"", "\\", " ", "\n", "12", "-3.5", "{\"$blob\":\"00\"}", "null", "漢", "%", "_"];
            var sb = new StringBuilder();
            for (var i = rng.Next(0, 6); i > 0; i--) sb.Append(Pick(pieces));
            return sb.ToString();
        }

        private byte[] RandomBytes()
        {
            var b = new byte[rng.Next(0, 7)];
            rng.NextBytes(b);
            return b;
        }

        private static string TypeName(Kind kind, bool nullable, string? references) =>
            (references ?? kind switch { Kind.Integer => "long", Kind.Text => "string", Kind.Real => "double", _ => "byte[]" }) + (nullable ? "?" : "");

        private static string Render(IEnumerable<(string Type, string? Key, string? RenamedFrom, List<(string Prop, string Type, string? RenamedFrom)> Columns, List<string> Attributes)> tables)
        {
            var sb = new StringBuilder();
            foreach (var t in tables)
            {
                if (t.Key is not null) sb.Append($"[PK(nameof({t.Key}))]\n");
                if (t.RenamedFrom is not null) sb.Append($"[RenamedFrom(\"{t.RenamedFrom}\")]\n");
                foreach (var a in t.Attributes) sb.Append(a).Append('\n');
                var parameters = t.Columns.Select(c => (c.RenamedFrom is null ? "" : $"[RenamedFrom(\"{c.RenamedFrom}\")] ") + $"{c.Type} {c.Prop}");
                sb.Append($"public sealed record {t.Type}({string.Join(", ", parameters)});\n");
            }
            return sb.ToString();
        }

        public void Load(string path)
        {
            using var c = MigrationPair.Open(path, foreignKeys: true);
            using var txn = c.BeginTransaction();
            foreach (var t in V1)
                foreach (var (rowid, row) in t.Rows) Insert(c, txn, t, rowid, row);
            txn.Commit();
        }

        private static void Insert(SqliteConnection c, SqliteTransaction txn, OldTable t, long rowid, object?[] row, string verb = "INSERT")
        {
            using var cmd = c.CreateCommand();
            cmd.Transaction = txn;
            cmd.CommandText = $"{verb} INTO \"{t.Sql}\"(rowid, {string.Join(", ", t.Columns.Select(x => $"\"{x.Sql}\""))}) VALUES (@rowid, {string.Join(", ", t.Columns.Select((_, i) => "@p" + i))})";
            cmd.Parameters.AddWithValue("@rowid", rowid);
            for (var i = 0; i < row.Length; i++) cmd.Parameters.AddWithValue("@p" + i, row[i] ?? DBNull.Value);
            cmd.ExecuteNonQuery();
        }

        /// <summary>
        /// A few transactions of writes to the old file as another program would make
        /// them (inserts, updates, key changes, deletes, REPLACEs, in every table, dropped
        /// ones included), mirrored in the rows kept here.
        /// </summary>
        public void RandomWrites(string path)
        {
            using var c = MigrationPair.Open(path, foreignKeys: true);
            for (var n = rng.Next(3, 7); n > 0; n--)
            {
                using var txn = c.BeginTransaction();
                for (var ops = rng.Next(1, 4); ops > 0; ops--)
                {
                    var t = Pick(V1);
                    var op = rng.Next(6);
                    if (op == 0 || t.Rows.Count == 0)
                    {
                        var rowid = FreshKey(t);
                        if (NewRow(t, rowid) is not { } row) continue;
                        Insert(c, txn, t, rowid, row);
                        t.Rows[rowid] = row;
                        Journal.Add($"insert {t.Sql} rowid {rowid}: {RowAssert.Show(row)}");
                    }
                    else if (op == 1)
                    {
                        var rowid = Pick(t.Rows.Keys.ToList());
                        var row = t.Rows[rowid];
                        var changed = Enumerable.Range(0, t.Columns.Count).Where(i => !t.Columns[i].IsId).OrderBy(_ => rng.Next()).Take(rng.Next(1, 4)).ToList();
                        var fresh = NewRow(t, rowid);
                        if (fresh is null || changed.Count == 0) continue;
                        using var cmd = c.CreateCommand();
                        cmd.Transaction = txn;
                        cmd.CommandText = $"UPDATE \"{t.Sql}\" SET {string.Join(", ", changed.Select(i => $"\"{t.Columns[i].Sql}\" = @p{i}"))} WHERE rowid = @rowid";
                        foreach (var i in changed)
                        {
                            cmd.Parameters.AddWithValue("@p" + i, fresh[i] ?? DBNull.Value);
                            row[i] = fresh[i];
                        }
                        cmd.Parameters.AddWithValue("@rowid", rowid);
                        cmd.ExecuteNonQuery();
                        Journal.Add($"update {t.Sql} rowid {rowid}: {RowAssert.Show(row)}");
                    }
                    else if (op == 4)
                    {
                        // REPLACE deletes the old row without its delete trigger and inserts the new one.
                        var rowid = Pick(t.Rows.Keys.ToList());
                        if (NewRow(t, rowid) is not { } row) continue;
                        Insert(c, txn, t, rowid, row, "INSERT OR REPLACE");
                        t.Rows[rowid] = row;
                        Journal.Add($"replace {t.Sql} rowid {rowid}: {RowAssert.Show(row)}");
                    }
                    else if (op == 5 && t.Keyed && t.Columns[0].Kind == Kind.Text)
                    {
                        // REPLACE of an existing TEXT key under a new rowid: SQLite deletes the old row
                        // without its delete trigger; the log only shows the new row.
                        var old = Pick(t.Rows.Keys.ToList());
                        var rowid = FreshKey(t);
                        if (NewRow(t, rowid) is not { } row) continue;
                        row[0] = t.Rows[old][0];
                        Insert(c, txn, t, rowid, row, "INSERT OR REPLACE");
                        t.Rows.Remove(old);
                        t.Rows[rowid] = row;
                        Journal.Add($"replace {t.Sql} key {row[0]}: rowid {old} -> {rowid}: {RowAssert.Show(row)}");
                    }
                    else if (op == 2 && t.Keyed && t.Columns[0].Kind == Kind.Text)
                    {
                        var rowid = Pick(t.Rows.Keys.ToList());
                        var code = FreshCode(t);
                        Execute(c, txn, $"UPDATE \"{t.Sql}\" SET code = '{code}' WHERE rowid = {rowid}");
                        Journal.Add($"key {t.Sql} rowid {rowid}: {t.Rows[rowid][0]} -> {code}");
                        t.Rows[rowid][0] = code;
                    }
                    else if (op == 2 && t.Keyed)
                    {
                        var rowid = Pick(t.Rows.Keys.ToList());
                        if (Referenced(t, rowid)) continue;
                        var key = FreshKey(t);
                        Execute(c, txn, $"UPDATE \"{t.Sql}\" SET id = {key} WHERE id = {rowid}");
                        var row = t.Rows[rowid];
                        t.Rows.Remove(rowid);
                        row[0] = key;
                        t.Rows[key] = row;
                        Journal.Add($"key {t.Sql} {rowid} -> {key}");
                    }
                    else
                    {
                        var rowid = Pick(t.Rows.Keys.ToList());
                        if (Referenced(t, rowid)) continue;
                        Execute(c, txn, $"DELETE FROM \"{t.Sql}\" WHERE rowid = {rowid}");
                        t.Rows.Remove(rowid);
                        Journal.Add($"delete {t.Sql} rowid {rowid}");
                    }
                }
                txn.Commit();
                Journal.Add("commit");
            }
        }

        private bool Referenced(OldTable t, long key) =>
            V1.Any(o => o.Columns.Select((c, i) => (c, i)).Any(x => x.c.References == t && o.Rows.Values.Any(r => r[x.i] is long k && k == key)));

        private static void Execute(SqliteConnection c, SqliteTransaction txn, string sql)
        {
            using var cmd = c.CreateCommand();
            cmd.Transaction = txn;
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }

        /// <summary>What the plan must report as lost: dropped tables with rows, dropped columns with values.</summary>
        public List<string> ExpectedLosses()
        {
            var result = new List<string>();
            foreach (var t in V1)
            {
                if (t.Dropped)
                {
                    if (t.Rows.Count > 0) result.Add($"{t.Sql}.");
                    continue;
                }
                var kept = V2.Single(n => n.Source == t).Columns.Select(c => c.Source).ToHashSet();
                for (var i = 0; i < t.Columns.Count; i++)
                    if (!kept.Contains(t.Columns[i]) && t.Rows.Values.Any(r => r[i] is not null))
                        result.Add($"{t.Sql}.{t.Columns[i].Sql}");
            }
            return result;
        }

        public void AssertOldFileMatches(string path, string when)
        {
            using var c = MigrationPair.Open(path);
            foreach (var t in V1)
            {
                var expected = t.Rows.Select(r => (object?[])[r.Key, .. r.Value]).ToList();
                var actual = MigrationPair.Rows(c, $"SELECT rowid, {string.Join(", ", t.Columns.Select(x => $"\"{x.Sql}\""))} FROM \"{t.Sql}\" ORDER BY rowid");
                RowAssert.AreEqual(expected, actual, $"old file {t.Sql} {when} (the generator's own bookkeeping)");
            }
        }

        /// <summary>Every table of v2 holds exactly the v1 rows transformed by the edit set, rowid by rowid.</summary>
        public void AssertNewFileMatches(string path, string when)
        {
            using var c = MigrationPair.Open(path);
            foreach (var t in V2)
            {
                var actual = MigrationPair.Rows(c, $"SELECT rowid, {string.Join(", ", t.Columns.Select(x => $"\"{x.Sql}\""))} FROM \"{t.Sql}\" ORDER BY rowid");
                RowAssert.AreEqual(Expected(t), actual, $"new file {t.Sql} {when}");
            }
            foreach (var t in V1.Where(t => t.Dropped && V2.All(n => n.Sql != t.Sql)))
                Assert.IsNull(MigrationPair.Rows(c, "SELECT name FROM sqlite_schema WHERE name = @n", ("@n", t.Sql)).SingleOrDefault(), $"dropped table {t.Sql} is not in the new file");
            Assert.IsEmpty(MigrationPair.Rows(c, "SELECT * FROM pragma_foreign_key_check"), "foreign keys hold " + when);
        }

        private static List<object?[]> Expected(NewTable t)
        {
            if (t.Source is null) return [];
            var old = t.Source;
            // Where the key becomes the rowid, the rowid is the key's number and rows come in its order.
            var rows = old.Rows.Select(r => (RowId: old.KeyBecomesRowId ? long.Parse((string)r.Value[0]!, CultureInfo.InvariantCulture) : r.Key, Row: r.Value)).OrderBy(r => r.RowId);
            return [.. rows.Select(r => (object?[])[r.RowId, .. t.Columns.Select(c => c.Source is null ? c.DefaultValue : Convert(r.Row[old.Columns.IndexOf(c.Source)], c))])];
        }

        /// <summary>SQLite's CAST as the spec describes it, for values that survive it, written out in C#.</summary>
        private static object? Convert(object? value, NewColumn c)
        {
            if (value is null) return c.Nullable ? null : c.DefaultValue;
            return (value, c.Kind) switch
            {
                (long l, Kind.Integer) => l,
                (long l, Kind.Text) => l.ToString(CultureInfo.InvariantCulture),
                (long l, Kind.Real) => (double)l,
                (string s, Kind.Text) => s,
                (string s, Kind.Integer) => long.Parse(s, CultureInfo.InvariantCulture),
                (string s, Kind.Real) => double.Parse(s, CultureInfo.InvariantCulture),
                (double d, Kind.Real) => d,
                (double d, Kind.Integer) => (long)d,
                (double d, Kind.Text) => d == Math.Floor(d) ? ((long)d).ToString(CultureInfo.InvariantCulture) + ".0" : d.ToString("R", CultureInfo.InvariantCulture),
                (byte[] b, Kind.Blob) => b,
                _ => throw new InvalidOperationException($"no conversion of {value.GetType().Name} to {c.Kind}"),
            };
        }
    }
}
