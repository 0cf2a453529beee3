using System.Globalization;

namespace Mig.Core.Tests.Adversarial;

/// <summary>
/// Writes of <see cref="AdversarialRevertTests"/>: to the old file while it records (v1 names), and to the new
/// file after cutover (v2 names): inserts (some OR REPLACE), updates, rowid moves, deletes, REPLACE copies of
/// a row, and deletes with a re-insert of the same key. On the new file a write is lossy (holds a value only
/// v2 can hold) only when <see cref="Lossy"/> says so; the background writer (key band 1) never is, and never
/// uses REPLACE on a table with a unique column, so it cannot delete or overwrite the foreground's rows.
/// </summary>
internal sealed class RevertWrites(Random rng, HostileValues values)
{
    /// <summary>The chance (in 1/100) that a value of a column only v2 can hold, or a write to v2's new table, is lossy.</summary>
    public int Lossy { get; set; }

    public string Old(RevertShape.Table t) => Statement(t, v2: false, band: 0);

    public string New(RevertShape.Table t, int band) => rng.Next(8) == 0
        ? Extra(band) : Statement(t, v2: true, band);

    /// <summary>A write to v2's new table: a row that stays is a loss; one deleted in the same transaction is not.</summary>
    private string Extra(int band)
    {
        var key = RevertShape.Key(rng, band);
        var table = HostileNames.Sql(RevertShape.ExtraTable);
        return band == 0 && rng.Next(100) < Lossy
            ? $"INSERT OR REPLACE INTO {table}(Id) VALUES ({key})"
            : $"INSERT OR REPLACE INTO {table}(Id) VALUES ({key}); DELETE FROM {table} WHERE Id = {key}";
    }

    private string Statement(RevertShape.Table t, bool v2, int band)
    {
        var columns = (v2 ? t.New : t.Old).ToList();
        string Name(RevertShape.Column c) => HostileNames.Sql(v2 ? c.V2Name : c.Name);
        var name = HostileNames.Sql(v2 ? t.V2Name : t.Name);
        var id = Name(t.Key);
        string Key() => RevertShape.Key(rng, band, max: !t.AutoInc);
        var where = $"WHERE {id} = {Key()}";
        var column = columns[rng.Next(1, columns.Count)];
        // The background writer does not REPLACE where a unique column could make it delete a foreground row.
        var replace = !(band == 1 && t.Unique);
        // Nor does it write values that could repeat in a key only v1 keeps unique: the foreground decides whether any do.
        var nullOnly = band == 1 && t.UniqueOld ? t.Columns[1] : null;
        string Or(int odds) => replace && rng.Next(odds) == 0 ? "OR REPLACE " : "";
        string Insert(string key) =>
            $"INSERT {Or(3)}INTO {name}({string.Join(", ", columns.Select(Name))}) VALUES ({string.Join(", ", columns.Select(c => c.Role == "key" ? key : (c == nullOnly ? "NULL" : Value(c, v2, band))))})";
        return rng.Next(7) switch
        {
            0 or 1 => Insert(rng.Next(6) == 0 && !t.Legacy ? "NULL" : Key()), // NULL: SQLite picks the key (an INT PRIMARY KEY would keep the NULL)
            2 => $"UPDATE {Or(3)}{name} SET {Name(column)} = {(column == nullOnly ? "NULL" : Value(column, v2, band))} {where}",
            3 => $"UPDATE {Or(2)}{name} SET {id} = {Key()} {where}", // moves the row's rowid
            4 => $"DELETE FROM {name} {where}",
            5 when replace => $"REPLACE INTO {name}({string.Join(", ", columns.Select(Name))}) SELECT {string.Join(", ", columns.Select(c => c.Role == "key" ? Key() : Name(c)))} FROM {name} {where}",
            _ => DeleteAndInsert(name, id, Insert, Key()),
        };
    }

    /// <summary>The same key deleted and inserted again in one transaction: in the log twice, in the file once.</summary>
    private static string DeleteAndInsert(string name, string id, Func<string, string> insert, string key)
    {
        return $"DELETE FROM {name} WHERE {id} = {key}; {insert(key)}";
    }

    private string Value(RevertShape.Column c, bool v2, int band)
    {
        var lossy = band == 0 && rng.Next(100) < Lossy;
        return c.Role switch
        {
            "conv" when !v2 => RevertShape.IntegerOrNull(rng),
            "conv" => lossy ? RevertShape.LossyTexts[rng.Next(RevertShape.LossyTexts.Length)]
                : rng.Next(3) == 0 ? $"'{rng.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture)}'" : RevertShape.IntegerOrNull(rng),
            // Added with [Default(7)]: 7 is what the migration filled; NULL or anything else only v2 holds.
            "add" when c.Kind == "INTEGER" => lossy ? new[] { "NULL", "8", "'7x'", "7.5", "X'07'" }[rng.Next(5)] : RevertShape.AddedDefault,
            "add" => lossy ? values.Next("TEXT") : "NULL",
            _ => values.Next(c.Kind),
        };
    }
}
