using System.Globalization;
using Microsoft.Data.Sqlite;
using Mig.Migration;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// <see cref="ConcurrencyTests"/> for tables whose rowid changes (<see cref="IdMapping"/>): a legacy
/// <c>item(id INT PRIMARY KEY)</c> (the key is not the rowid), its extension table <c>item_extra</c>
/// (key and foreign key in one) and <c>country(code TEXT PRIMARY KEY)</c> of numbers all become
/// INTEGER PRIMARY KEYs, with <c>part</c> referencing item and country (ON UPDATE CASCADE,
/// ON DELETE CASCADE / SET NULL in the old file). Writers through <see cref="MigDatabase"/> and plain
/// connections insert, update values, change keys and rowids, delete and REPLACE (by key and by rowid,
/// whose silent deletes are not logged) before, during and after the copy until drain. After cutover
/// the new file is the old file's final data transformed as the plan says (computed here: the rowid is
/// the key, text codes become integers, the new column takes its default), row for row.
/// </summary>
[TestClass]
public sealed class IdMappingConcurrencyTests
{
    private const int MinIterations = 6;
    private const int MaxIterations = 40;
    // The machine is shared and loaded: the whole test stays well under a minute.
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private const string V1 = """
        [PK(nameof(Code))]
        public sealed record Country(string Code, string Name);
        """;

    // As a legacy app would have written them: "INT" makes item.id a key but not the rowid.
    private static readonly string[] LegacyTables =
    [
        "CREATE TABLE item(id INT PRIMARY KEY, name TEXT NOT NULL, qty INTEGER NOT NULL)",
        "CREATE TABLE part(id INTEGER PRIMARY KEY, item_id INT NOT NULL REFERENCES item(id) ON DELETE CASCADE ON UPDATE CASCADE, " +
        "country_code TEXT REFERENCES country(code) ON DELETE SET NULL ON UPDATE CASCADE, label TEXT NOT NULL)",
        // An extension table: its key is also a foreign key, and becomes the rowid all the same.
        "CREATE TABLE item_extra(item_id INT NOT NULL PRIMARY KEY REFERENCES item(id) ON DELETE CASCADE ON UPDATE CASCADE, extra TEXT NOT NULL)",
        // SQLite gives a new row the largest rowid + 1, negative when every rowid is: this row at 0
        // keeps assigned rowids positive, apart from the negative ones writers move rows to.
        "INSERT INTO item(rowid, id, name, qty) VALUES (0, 0, 'sentinel', 0)",
    ];

    private const string V2 = """
        [PK(nameof(Code))]
        public sealed record Country(long Code, string Name);

        [PK(nameof(Id))]
        [Default(nameof(Note), "'-'")]
        public sealed record Item(long Id, string Name, long Qty, string Note);

        public abstract record ItemOpt
        {
            public sealed record WithExtra(Item Item, string Extra) : ItemOpt;
        }

        [PK(nameof(Id))]
        [OnDeleteCascade(nameof(Item))]
        [OnDeleteSetNull(nameof(Country))]
        public sealed record Part(long Id, Item Item, Country? Country, string Label);
        """;

    private static readonly Lazy<SchemaModel> V2Model = new(() => SchemaFixture.Model(V2));

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ConcurrentWritesToTablesWhoseRowIdChangesAllArriveExactlyOnce() =>
        Interleavings.Run(MinIterations, MaxIterations, Budget, Iteration, TestContext);

    private static int[] Iteration(int seed)
    {
        var rng = new Random(seed);
        using var pair = MigrationPair.Create(V1, LegacyTables);
        using var db = new MigDatabase(pair.OldPath);
        var writers = new KeyWriter[]
        {
            new MigKeyWriter("m0", 0, new Random(seed * 10 + 0), db),
            new MigKeyWriter("m1", 1, new Random(seed * 10 + 1), db),
            new RawKeyWriter("r2", 2, new Random(seed * 10 + 2), pair.OldPath),
            new RawKeyWriter("r3", 3, new Random(seed * 10 + 3), pair.OldPath),
        };
        return Interleavings.CopyUnderWrites(rng, writers,
            prepare: () =>
            {
                foreach (var w in writers)
                    for (var i = rng.Next(2, 12); i > 0; i--)
                        if (!w.Step(rng.Next(1, 4))) Assert.Fail($"{w.Tag} was refused before the migration");
            },
            copiedTables: 3, // country, item, part
            migrator: log => new Migrator(V2Model.Value, SchemaHash.Compute(V2Model.Value), pair.OldPath, pair.NewPath, log), Patience,
            afterCutover: _ =>
            {
                var sentinel = new KeyData();
                sentinel.Items.Add(0, new ItemData("sentinel", 0));
                var ledger = KeyData.Union(writers.Select(w => w.Mine).Append(sentinel));
                var old = OldRows(pair.OldPath);
                SameRows(ledger.OldRows(), old, "old file vs the writers' ledgers");
                SameRows(Transform(old), NewRows(pair.NewPath), "new file vs the old file transformed");
                Assert.IsEmpty(pair.Rows(pair.NewPath, "SELECT * FROM pragma_foreign_key_check"), "foreign keys of the new file");
            });
    }

    /// <summary>Every row of the old file as values (storage classes kept), per table.</summary>
    private static Dictionary<string, List<object?[]>> OldRows(string path)
    {
        using var c = MigrationPair.Open(path);
        return new()
        {
            ["country"] = MigrationPair.Rows(c, "SELECT code, name FROM country"),
            ["item"] = MigrationPair.Rows(c, "SELECT id, name, qty FROM item"),
            ["item_extra"] = MigrationPair.Rows(c, "SELECT item_id, extra FROM item_extra"),
            ["part"] = MigrationPair.Rows(c, "SELECT id, item_id, country_code, label FROM part"),
        };
    }

    private static Dictionary<string, List<object?[]>> NewRows(string path)
    {
        using var c = MigrationPair.Open(path);
        return new()
        {
            ["country"] = MigrationPair.Rows(c, "SELECT rowid, code, name FROM country"),
            ["item"] = MigrationPair.Rows(c, "SELECT rowid, id, name, qty, note FROM item"),
            ["item_extra"] = MigrationPair.Rows(c, "SELECT rowid, item_id, extra FROM item_extra"),
            ["part"] = MigrationPair.Rows(c, "SELECT rowid, id, item_id, country_code, label FROM part"),
        };
    }

    /// <summary>The plan's transformation, written out on its own: keys become rowids, numeric text codes integers, the new column '-'.</summary>
    private static Dictionary<string, List<object?[]>> Transform(Dictionary<string, List<object?[]>> old) => new()
    {
        ["country"] = [.. old["country"].Select(r => new[] { Code(r[0]), Code(r[0]), r[1] })],
        ["item"] = [.. old["item"].Select(r => new[] { (object?)(long)r[0]!, r[0], r[1], r[2], "-" })],
        ["item_extra"] = [.. old["item_extra"].Select(r => new[] { (object?)(long)r[0]!, r[0], r[1] })],
        ["part"] = [.. old["part"].Select(r => new[] { r[0], r[0], r[1], r[2] is null ? null : Code(r[2]), r[3] })],
    };

    private static object Code(object? text)
    {
        var s = (string)text!;
        var n = long.Parse(s, CultureInfo.InvariantCulture);
        Assert.AreEqual(s, n.ToString(CultureInfo.InvariantCulture), "writers only write codes that are integers");
        return n;
    }

    private static void SameRows(Dictionary<string, List<object?[]>> expected, Dictionary<string, List<object?[]>> actual, string what)
    {
        foreach (var table in expected.Keys)
        {
            static List<string> Show(List<object?[]> rows) => [.. rows.Select(RowAssert.Show).Order(StringComparer.Ordinal)];
            HotAssert.SameRows(Show(expected[table]), Show(actual[table]), $"{what}: {table}");
        }
    }
}

internal sealed record ItemData(string Name, long Qty);

internal sealed record PartData(long ItemId, long? Country, string Label);

/// <summary>What a writer believes its rows are, by key: items, countries (codes kept as the numbers they spell) and parts.</summary>
internal sealed class KeyData
{
    public SortedDictionary<long, ItemData> Items { get; } = [];
    public SortedDictionary<long, string> Countries { get; } = [];
    public SortedDictionary<long, PartData> Parts { get; } = [];
    /// <summary>item_extra rows by their item's key.</summary>
    public SortedDictionary<long, string> Extras { get; } = [];

    public KeyData Clone()
    {
        var copy = new KeyData();
        foreach (var (k, v) in Items) copy.Items[k] = v;
        foreach (var (k, v) in Extras) copy.Extras[k] = v;
        foreach (var (k, v) in Countries) copy.Countries[k] = v;
        foreach (var (k, v) in Parts) copy.Parts[k] = v;
        return copy;
    }

    public static KeyData Union(IEnumerable<KeyData> parts)
    {
        var all = new KeyData();
        foreach (var p in parts)
        {
            foreach (var (k, v) in p.Items) all.Items.Add(k, v);
            foreach (var (k, v) in p.Extras) all.Extras.Add(k, v);
            foreach (var (k, v) in p.Countries) all.Countries.Add(k, v);
            foreach (var (k, v) in p.Parts) all.Parts.Add(k, v);
        }
        return all;
    }

    /// <summary>The rows the old file should hold, as <see cref="IdMappingConcurrencyTests"/> reads them.</summary>
    public Dictionary<string, List<object?[]>> OldRows() => new()
    {
        ["country"] = [.. Countries.Select(kv => new object?[] { CodeText(kv.Key), kv.Value })],
        ["item"] = [.. Items.Select(kv => new object?[] { kv.Key, kv.Value.Name, kv.Value.Qty })],
        ["item_extra"] = [.. Extras.Select(kv => new object?[] { kv.Key, kv.Value })],
        ["part"] = [.. Parts.Select(kv => new object?[] { kv.Key, kv.Value.ItemId, kv.Value.Country is { } c ? CodeText(c) : null, kv.Value.Label })],
    };

    public static string CodeText(long code) => code.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A writer of the legacy tables: a few random writes per transaction on rows it owns. Keys are its
/// own (item keys and country codes are 4n + slot, negated or counted down from long.MaxValue for
/// some), and rows it moves to an explicit rowid go to negative rowids that may equal another row's
/// key, so old rowids, old keys and new rowids overlap.
/// </summary>
internal abstract class KeyWriter(string tag, int slot, Random rng) : IRandomWriter, IDisposable
{
    private long rowids;
    private readonly List<string> ops = [];

    public string Tag { get; } = tag;
    public KeyData Mine { get; private set; } = new();
    public int Commits { get; private set; }
    public bool Refused { get; private set; }

    /// <summary>The statements of the last transaction attempted, for a failure report.</summary>
    public string LastOps => string.Join("\n", ops);

    public string FailureContext => "\n" + LastOps;

    protected Random Rng { get; } = rng;

    public bool Step(int count)
    {
        var draft = Mine.Clone();
        ops.Clear();
        if (!Run(exec => { for (var i = 0; i < count; i++) RandomOp(exec, draft); }))
        {
            Refused = true;
            return false;
        }
        Mine = draft;
        Commits++;
        return true;
    }

    protected abstract bool Run(Action<IHotExec> body);

    public abstract void Dispose();

    private void Exec(IHotExec exec, string sql, params object?[] values)
    {
        ops.Add(sql + " <- " + string.Join(", ", values.Select(RowAssert.Show)));
        var changed = exec.Execute(sql, values);
        // changes() counts the statement's own row: not REPLACE's deletes, not foreign key actions.
        if (changed != 1) throw new InvalidOperationException($"{Tag}: {sql} changed {changed} rows, expected 1");
    }

    private void RandomOp(IHotExec exec, KeyData d)
    {
        var roll = Rng.Next(100);
        if (d.Items.Count == 0 || roll < 12) { InsertItem(exec, d); return; }
        if (roll < 52) { ItemOp(exec, d, roll); return; }
        if (d.Countries.Count == 0 || roll < 58) { InsertCountry(exec, d); return; }
        if (roll < 68) { CountryOp(exec, d, roll); return; }
        if (roll < 76) { ExtraOp(exec, d, roll); return; }
        PartOp(exec, d, roll);
    }

    private void InsertItem(IHotExec exec, KeyData d)
    {
        var key = NewKey(d.Items.Keys, allowHuge: true);
        var item = NewItem();
        Exec(exec, "INSERT INTO item(id, name, qty) VALUES (@p0, @p1, @p2)", key, item.Name, item.Qty);
        d.Items.Add(key, item);
    }

    private void ItemOp(IHotExec exec, KeyData d, int roll)
    {
        var key = Pick(d.Items.Keys);
        if (roll < 24)
        {
            var item = NewItem();
            Exec(exec, "UPDATE item SET name = @p0, qty = @p1 WHERE id = @p2", item.Name, item.Qty, key);
            d.Items[key] = item;
        }
        else if (roll < 30)
        {
            // The key changes; ON UPDATE CASCADE moves the parts with it (their updates are captured too).
            var to = NewKey(d.Items.Keys, allowHuge: true);
            Exec(exec, "UPDATE item SET id = @p0 WHERE id = @p1", to, key);
            d.Items.Add(to, d.Items[key]);
            d.Items.Remove(key);
            foreach (var (id, p) in d.Parts.Where(kv => kv.Value.ItemId == key).ToList()) d.Parts[id] = p with { ItemId = to };
            if (d.Extras.Remove(key, out var extra)) d.Extras.Add(to, extra);
        }
        else if (roll < 34)
        {
            // Only the rowid changes: the key (and so the new rowid) stays.
            Exec(exec, "UPDATE item SET rowid = @p0 WHERE id = @p1", NewRowId(), key);
        }
        else if (roll < 39)
        {
            Exec(exec, "DELETE FROM item WHERE id = @p0", key);
            RemoveItem(d, key);
        }
        else if (roll < 44)
        {
            // REPLACE by key: the old row goes (unlogged, its parts by cascade), the key comes back at a new rowid.
            var item = NewItem();
            Exec(exec, "INSERT OR REPLACE INTO item(id, name, qty) VALUES (@p0, @p1, @p2)", key, item.Name, item.Qty);
            RemoveItem(d, key);
            d.Items.Add(key, item);
        }
        else if (roll < 48)
        {
            // REPLACE by rowid: the row at that rowid goes and another key (new, or that of a second row, which goes too) takes it.
            var other = Rng.Next(2) == 0 ? Pick(d.Items.Keys) : NewKey(d.Items.Keys, allowHuge: false);
            var item = NewItem();
            Exec(exec, "INSERT OR REPLACE INTO item(rowid, id, name, qty) SELECT rowid, @p0, @p1, @p2 FROM item WHERE id = @p3", other, item.Name, item.Qty, key);
            RemoveItem(d, key);
            if (d.Items.ContainsKey(other)) RemoveItem(d, other);
            d.Items.Add(other, item);
        }
        else
        {
            // REPLACE onto an explicit new rowid, keeping the key.
            var item = NewItem();
            Exec(exec, "INSERT OR REPLACE INTO item(rowid, id, name, qty) VALUES (@p0, @p1, @p2, @p3)", NewRowId(), key, item.Name, item.Qty);
            RemoveItem(d, key);
            d.Items.Add(key, item);
        }
    }

    private void InsertCountry(IHotExec exec, KeyData d)
    {
        var code = NewKey(d.Countries.Keys, allowHuge: false);
        var name = HotValues.Text(Tag, Rng);
        Exec(exec, "INSERT INTO country(code, name) VALUES (@p0, @p1)", KeyData.CodeText(code), name);
        d.Countries.Add(code, name);
    }

    private void CountryOp(IHotExec exec, KeyData d, int roll)
    {
        var code = Pick(d.Countries.Keys);
        if (roll < 61)
        {
            var name = HotValues.Text(Tag, Rng);
            Exec(exec, "UPDATE country SET name = @p0 WHERE code = @p1", name, KeyData.CodeText(code));
            d.Countries[code] = name;
        }
        else if (roll < 64)
        {
            var to = NewKey(d.Countries.Keys, allowHuge: false);
            Exec(exec, "UPDATE country SET code = @p0 WHERE code = @p1", KeyData.CodeText(to), KeyData.CodeText(code));
            d.Countries.Add(to, d.Countries[code]);
            d.Countries.Remove(code);
            foreach (var (id, p) in d.Parts.Where(kv => kv.Value.Country == code).ToList()) d.Parts[id] = p with { Country = to };
        }
        else if (roll < 66)
        {
            Exec(exec, "DELETE FROM country WHERE code = @p0", KeyData.CodeText(code));
            RemoveCountry(d, code);
        }
        else
        {
            // REPLACE's silent delete still runs ON DELETE SET NULL on the parts.
            var name = HotValues.Text(Tag, Rng);
            Exec(exec, "INSERT OR REPLACE INTO country(code, name) VALUES (@p0, @p1)", KeyData.CodeText(code), name);
            RemoveCountry(d, code);
            d.Countries.Add(code, name);
        }
    }

    private void PartOp(IHotExec exec, KeyData d, int roll)
    {
        var item = Pick(d.Items.Keys);
        long? country = d.Countries.Count > 0 && Rng.Next(3) > 0 ? Pick(d.Countries.Keys) : null;
        if (d.Parts.Count == 0 || roll < 84)
        {
            var part = new PartData(item, country, HotValues.Text(Tag, Rng));
            Exec(exec, "INSERT INTO part(item_id, country_code, label) VALUES (@p0, @p1, @p2)", part.ItemId, CountryText(part.Country), part.Label);
            d.Parts.Add(exec.LastId(), part);
            return;
        }
        var id = Pick(d.Parts.Keys);
        if (roll < 92)
        {
            var part = d.Parts[id] with { Country = country, Label = HotValues.Text(Tag, Rng) };
            Exec(exec, "UPDATE part SET country_code = @p0, label = @p1 WHERE id = @p2", CountryText(part.Country), part.Label, id);
            d.Parts[id] = part;
        }
        else if (roll < 96)
        {
            Exec(exec, "UPDATE part SET item_id = @p0 WHERE id = @p1", item, id);
            d.Parts[id] = d.Parts[id] with { ItemId = item };
        }
        else
        {
            Exec(exec, "DELETE FROM part WHERE id = @p0", id);
            d.Parts.Remove(id);
        }
    }

    private void ExtraOp(IHotExec exec, KeyData d, int roll)
    {
        var key = Pick(d.Items.Keys);
        var extra = HotValues.Text(Tag, Rng);
        if (!d.Extras.ContainsKey(key) || roll < 70)
        {
            // A plain insert where there is none; REPLACE (a silent delete first) where there is.
            Exec(exec, "INSERT OR REPLACE INTO item_extra(item_id, extra) VALUES (@p0, @p1)", key, extra);
            d.Extras[key] = extra;
        }
        else if (roll < 72)
        {
            Exec(exec, "UPDATE item_extra SET extra = @p0 WHERE item_id = @p1", extra, key);
            d.Extras[key] = extra;
        }
        else if (roll < 74 && d.Items.Keys.FirstOrDefault(k => !d.Extras.ContainsKey(k), long.MinValue) is var free && free != long.MinValue)
        {
            // The extension row moves to another item: its key, and so its new rowid, changes.
            Exec(exec, "UPDATE item_extra SET item_id = @p0 WHERE item_id = @p1", free, key);
            d.Extras.Add(free, d.Extras[key]);
            d.Extras.Remove(key);
        }
        else
        {
            Exec(exec, "DELETE FROM item_extra WHERE item_id = @p0", key);
            d.Extras.Remove(key);
        }
    }

    private static object? CountryText(long? code) => code is { } c ? KeyData.CodeText(c) : null;

    private static void RemoveItem(KeyData d, long key)
    {
        d.Items.Remove(key);
        d.Extras.Remove(key);
        foreach (var id in d.Parts.Where(kv => kv.Value.ItemId == key).Select(kv => kv.Key).ToList()) d.Parts.Remove(id);
    }

    private static void RemoveCountry(KeyData d, long code)
    {
        d.Countries.Remove(code);
        foreach (var (id, p) in d.Parts.Where(kv => kv.Value.Country == code).ToList()) d.Parts[id] = p with { Country = null };
    }

    private ItemData NewItem() => new(HotValues.Text(Tag, Rng), HotValues.Score(Rng));

    /// <summary>
    /// A key no row of this writer has and no other writer can have: 4n + slot, small so that it often
    /// equals some row's old rowid, sometimes negated or near long.MaxValue.
    /// </summary>
    private long NewKey(ICollection<long> taken, bool allowHuge)
    {
        for (var attempt = 0; ; attempt++)
        {
            var n = attempt < 50 ? Rng.Next(1, 300) : 300 + attempt;
            var b = 4L * n + slot;
            var key = Rng.Next(10) switch
            {
                < 7 => b,
                < 9 => -b,
                _ => allowHuge ? long.MaxValue - b : b,
            };
            if (!taken.Contains(key)) return key;
        }
    }

    // Negative rowids are never assigned by SQLite, and ours are 4n + slot apart from other writers'.
    private long NewRowId() => -(4L * ++rowids + slot);

    private long Pick(ICollection<long> keys) => keys.ElementAt(Rng.Next(keys.Count));
}

internal sealed class MigKeyWriter(string tag, int slot, Random rng, MigDatabase db) : KeyWriter(tag, slot, rng)
{
    protected override bool Run(Action<IHotExec> body)
    {
        try
        {
            db.WriteAsync(txn =>
            {
                body(new MigExec(txn));
                return Task.CompletedTask;
            }).GetAwaiter().GetResult();
            return true;
        }
        catch (MigWritesPausedException)
        {
            return false;
        }
    }

    public override void Dispose() { }
}

internal sealed class RawKeyWriter(string tag, int slot, Random rng, string path) : KeyWriter(tag, slot, rng)
{
    private readonly SqliteConnection connection = HotDb.OpenReadWrite(path);

    protected override bool Run(Action<IHotExec> body)
    {
        using var txn = connection.BeginTransaction(deferred: false);
        try
        {
            body(new RawExec(connection, txn));
            txn.Commit();
            return true;
        }
        catch (SqliteException e) when (HotWriter.IsGuardError(e))
        {
            return false;
        }
    }

    public override void Dispose() => connection.Dispose();
}
