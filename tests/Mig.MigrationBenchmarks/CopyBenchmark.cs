using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Mig.Migration;
using Mig.Sql;

namespace Mig.MigrationBenchmarks;

/// <summary>
/// Benchmark 1: the bulk copy. Every contender starts from a fresh copy of the same v1
/// file and ends with a v2 file holding the same rows (checked after the last round):
/// <list type="bullet">
/// <item>the floor: the sqlite3 shell, v2 tables created beforehand without secondary indexes, foreign keys off,
/// <c>ATTACH</c> + one <c>INSERT INTO new.t(cols) SELECT cols FROM old.t</c> per table in one transaction, then the indexes;</item>
/// <item>the same statements in-process through Microsoft.Data.Sqlite (Mig's SQLite build), timed per step,
/// plus the steps Mig does on top (row counts, foreign key check, WAL switch) timed on their own;</item>
/// <item>Mig offline (<c>Migrator.Migrate(offline: true)</c>) and online (capture install + copy), split into phases by their log lines.</item>
/// </list>
/// </summary>
internal sealed class CopyBenchmark(Options options, Schema v2, string source, Sizes sizes, Action<string> progress)
{
    public Series Shell { get; } = new("sqlite3 shell (floor)");
    public Series Ado { get; } = new("same SQL in-process (Microsoft.Data.Sqlite)");
    public Series AdoChunked { get; } = new("same SQL in-process, copied in rowid ranges of 50,000 as Mig does");
    public Series AdoUnsynced { get; } = new("same SQL in-process, new file with synchronous = OFF, journal_mode = OFF");
    public Series AdoBigCache { get; } = new("same SQL in-process, synchronous = OFF, journal_mode = OFF, cache_size = 256 MB, temp_store = MEMORY");
    public Series Offline { get; } = new("Mig offline: Migrate(offline: true)");
    public Series Online { get; } = new("Mig online: capture install + copy");
    public Series OfflineOrdinary { get; } = new("Mig offline, record transfer off (the copy of a table whose values change)");
    public Steps ShellSteps { get; } = new();
    public Steps AdoSteps { get; } = new();
    public Steps AdoChunkedSteps { get; } = new();
    public Steps AdoExtras { get; } = new();
    public Steps OfflinePhases { get; } = new();
    public Steps OnlinePhases { get; } = new();
    public List<string> Checks { get; } = [];
    public string ShellVersion { get; private set; } = "";
    public string LibraryVersion { get; private set; } = "";

    private string Dir(string name)
    {
        var d = Path.Combine(options.Work, "copy", name);
        Directory.CreateDirectory(d);
        return d;
    }

    public void Run()
    {
        ShellVersion = Fixture.RunProcess(Fixture.Sqlite3, ["--version"], null).Output.Split(' ')[0];
        using (var c = Fixture.Open(":memory:")) LibraryVersion = Fixture.Text(c, "SELECT sqlite_version()");
        Rounds.Run(options.Warmup, options.Runs,
            [FloorShell, r => FloorAdo(r, chunked: false), r => FloorAdo(r, chunked: true), r => FloorAdoTuned(r, bigCache: false), r => FloorAdoTuned(r, bigCache: true), MigOffline, MigOnline, MigOfflineOrdinary],
            progress, "copy");
        Verify();
    }

    private (string Old, string New) Fresh(string name)
    {
        var dir = Dir(name);
        var (old, @new) = (Path.Combine(dir, "old.db"), Path.Combine(dir, "new.db"));
        Fixture.Delete(@new);
        Fixture.CopyDatabase(source, old);
        Fixture.Sync();
        return (old, @new);
    }

    /// <summary>The v2 tables, without secondary indexes, made before the clock starts (the floor's preparation).</summary>
    private void CreateTablesOnly(string path)
    {
        using var c = Fixture.Open(path);
        foreach (var t in v2.Model.Tables) Fixture.Exec(c, null, Ddl.CreateTable(t));
    }

    private IEnumerable<(string Step, string Sql)> FloorStatements(string old)
    {
        yield return ("attach", $"ATTACH DATABASE {Fixture.Quote(old)} AS old");
        yield return ("begin", "BEGIN");
        foreach (var t in Mapping.Tables) yield return ($"insert {t.Table}", Mapping.CopySql(t));
        yield return ("commit", "COMMIT");
        yield return ("begin", "BEGIN");
        foreach (var t in v2.Model.Tables)
            foreach (var ix in t.Indexes) yield return ($"index {ix.Name}", Ddl.CreateIndex(t, ix));
        yield return ("commit", "COMMIT");
    }

    private void FloorShell(bool record)
    {
        var (old, @new) = Fresh("floor-sqlite3");
        CreateTablesOnly(@new);
        var statements = FloorStatements(old).ToList();
        var script = new StringBuilder(".bail on\nPRAGMA foreign_keys = OFF;\n.timer on\n");
        foreach (var (_, sql) in statements) script.Append(sql).Append(";\n");
        var clock = Stopwatch.StartNew();
        var (code, output) = Fixture.RunProcess(Fixture.Sqlite3, [@new], script.ToString());
        var elapsed = clock.Elapsed.TotalSeconds;
        if (code != 0) throw new InvalidOperationException("sqlite3 floor failed: " + output);
        if (!record) return;
        Shell.Add(elapsed);
        // .timer prints "Run Time: real R user U sys S" after each statement, in order.
        var times = output.Split('\n').Where(l => l.StartsWith("Run Time: real ", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ')[3], CultureInfo.InvariantCulture)).ToList();
        if (times.Count == statements.Count)
            foreach (var g in statements.Select((s, i) => (s.Step, T: times[i])).GroupBy(x => x.Step))
                ShellSteps.Add(g.Key, g.Sum(x => x.T));
        ShellSteps.Add("process start, open, exit (rest)", elapsed - times.Sum());
    }

    private void FloorAdo(bool record, bool chunked)
    {
        var (old, @new) = Fresh(chunked ? "floor-ado-chunked" : "floor-ado");
        CreateTablesOnly(@new);
        SqliteConnection.ClearAllPools();
        var steps = new List<(string, double)>();
        var clock = Stopwatch.StartNew();
        using (var c = Fixture.Open(@new))
        {
            steps.Add(("open", clock.Elapsed.TotalSeconds));
            foreach (var (step, sql) in FloorStatements(old))
            {
                var t = clock.Elapsed.TotalSeconds;
                var table = chunked ? Mapping.Tables.FirstOrDefault(m => step == "insert " + m.Table) : default;
                if (table.Table is null) Fixture.Exec(c, null, sql);
                else CopyInChunks(c, table);
                steps.Add((step, clock.Elapsed.TotalSeconds - t));
            }
            var total = clock.Elapsed.TotalSeconds;
            if (chunked)
            {
                if (!record) return;
                AdoChunked.Add(total);
                foreach (var g in steps.GroupBy(s => s.Item1)) AdoChunkedSteps.Add(g.Key, g.Sum(s => s.Item2));
                return;
            }
            // Not part of the floor: what Mig does besides it, each timed on the same files.
            var extras = new List<(string, double)>();
            var x = Stopwatch.StartNew();
            foreach (var t in Mapping.Tables) Fixture.Scalar(c, $"SELECT count(*) FROM old.{t.Table}");
            extras.Add(("count(*) of the old tables (Mig counts once, in the plan)", x.Elapsed.TotalSeconds));
            x.Restart();
            using (var check = c.CreateCommand())
            {
                check.CommandText = "SELECT count(*) FROM main.pragma_foreign_key_check";
                check.ExecuteScalar();
            }
            extras.Add(("pragma foreign_key_check of the new file (Mig's check before 35bee8a)", x.Elapsed.TotalSeconds));
            x.Restart();
            foreach (var sql in AntiJoins(leftJoin: false)) Fixture.Scalar(c, sql);
            extras.Add(("the same check as one NOT EXISTS query per foreign key (Mig's check from 35bee8a)", x.Elapsed.TotalSeconds));
            x.Restart();
            foreach (var sql in AntiJoins(leftJoin: true)) Fixture.Scalar(c, sql);
            extras.Add(("the same check as one LEFT JOIN ... IS NULL per foreign key (Mig's check now)", x.Elapsed.TotalSeconds));
            Fixture.Exec(c, null, "PRAGMA cache_size = -65536");
            x.Restart();
            using (var check = c.CreateCommand())
            {
                check.CommandText = "SELECT count(*) FROM main.pragma_foreign_key_check";
                check.ExecuteScalar();
            }
            extras.Add(("pragma foreign_key_check with a 64 MB page cache (cache_size = -65536; the default is 2 MB)", x.Elapsed.TotalSeconds));
            Fixture.Exec(c, null, "PRAGMA cache_size = -2000");
            x.Restart();
            Fixture.Exec(c, null, "DETACH DATABASE old");
            Fixture.Exec(c, null, "PRAGMA journal_mode = WAL");
            extras.Add(("switch the new file to WAL", x.Elapsed.TotalSeconds));
            if (!record) return;
            Ado.Add(total);
            foreach (var g in steps.GroupBy(s => s.Item1)) AdoSteps.Add(g.Key, g.Sum(s => s.Item2));
            foreach (var (n, v) in extras) AdoExtras.Add(n, v);
        }
    }

    /// <summary>Speed ratio of <paramref name="contender"/> to the shell floor within each round (the same source file, fresh copies, minutes apart at most), so load that lands on a whole round cancels out.</summary>
    public Series PerRound(Series contender)
    {
        var ratios = new Series(contender.Name);
        foreach (var (floor, mig) in Shell.Values.Zip(contender.Values)) ratios.Add(floor / mig);
        return ratios;
    }

    /// <summary>
    /// The floor's SQL in-process, whole tables, on a new file built "the fastest unsafe way" (no journal,
    /// no fsync; optionally a 256 MB page cache and in-memory temp files): what pragmas alone buy.
    /// </summary>
    private void FloorAdoTuned(bool record, bool bigCache)
    {
        var (old, @new) = Fresh(bigCache ? "floor-ado-bigcache" : "floor-ado-unsynced");
        CreateTablesOnly(@new);
        SqliteConnection.ClearAllPools();
        var clock = Stopwatch.StartNew();
        using (var c = Fixture.Open(@new))
        {
            Fixture.Exec(c, null, "PRAGMA synchronous = OFF; PRAGMA journal_mode = OFF");
            if (bigCache) Fixture.Exec(c, null, "PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY");
            foreach (var (_, sql) in FloorStatements(old)) Fixture.Exec(c, null, sql);
            // The durability the product needs back before the file counts: one fsync of the whole file.
            Fixture.Exec(c, null, "PRAGMA synchronous = FULL; PRAGMA journal_mode = DELETE; PRAGMA user_version = 1");
        }
        if (record) (bigCache ? AdoBigCache : AdoUnsynced).Add(clock.Elapsed.TotalSeconds);
    }

    /// <summary>The copy of one table as Copier does it on dense rowids: ranges of 50,000 rowids from min(rowid) to max(rowid).</summary>
    private static void CopyInChunks(SqliteConnection c, (string Table, (string Column, string OldValue)[] Columns) t)
    {
        using var insert = c.CreateCommand();
        insert.CommandText = Mapping.CopySql(t) + " WHERE rowid >= @lo AND rowid <= @hi";
        var lo = insert.Parameters.Add("@lo", SqliteType.Integer);
        var hi = insert.Parameters.Add("@hi", SqliteType.Integer);
        if (Fixture.Scalar(c, $"SELECT count(*) FROM (SELECT 1 FROM old.{t.Table} LIMIT 1)") == 0) return;
        var first = Fixture.Scalar(c, $"SELECT min(rowid) FROM old.{t.Table}");
        var end = Fixture.Scalar(c, $"SELECT max(rowid) FROM old.{t.Table}");
        for (var from = first; ; from += 50_000)
        {
            var to = Math.Min(end, from + 49_999);
            lo.Value = from;
            hi.Value = to;
            insert.ExecuteNonQuery();
            if (to == end) break;
        }
    }

    /// <summary>The foreign key check without the pragma, per key the child rows whose parent is missing: as a NOT EXISTS subquery, or as a LEFT JOIN (Mig's).</summary>
    private IEnumerable<string> AntiJoins(bool leftJoin)
    {
        foreach (var t in v2.Model.Tables)
            foreach (var fk in t.ForeignKeys)
            {
                var notNull = string.Join(" AND ", fk.Columns.Select(col => $"c.{SqlIdentifier.Quote(col)} IS NOT NULL"));
                var match = string.Join(" AND ", fk.Columns.Zip(fk.ReferencedColumns, (col, p) => $"p.{SqlIdentifier.Quote(p)} = c.{SqlIdentifier.Quote(col)}"));
                yield return leftJoin
                    ? $"SELECT count(*) FROM main.{SqlIdentifier.Quote(t.Name)} c LEFT JOIN main.{SqlIdentifier.Quote(fk.ReferencedTable)} p ON {match} WHERE {notNull} AND p.{SqlIdentifier.Quote(fk.ReferencedColumns[0])} IS NULL"
                    : $"SELECT count(*) FROM main.{SqlIdentifier.Quote(t.Name)} c WHERE {notNull} AND NOT EXISTS (SELECT 1 FROM main.{SqlIdentifier.Quote(fk.ReferencedTable)} p WHERE {match})";
            }
    }

    private void MigOffline(bool record) => RunMig(record, offline: true);

    /// <summary>
    /// Every table of this benchmark transfers its records as stored (renames and columns added at the end
    /// change no record); a migration that converts, drops or inserts a column copies value by value, as here.
    /// </summary>
    private void MigOfflineOrdinary(bool record)
    {
        var (old, @new) = Fresh("mig-offline-ordinary");
        SqliteConnection.ClearAllPools();
        RecordTransfer.Enabled = false;
        try
        {
            var clock = Stopwatch.StartNew();
            new Migrator(v2.Model, v2.Hash, old, @new, _ => { }).Migrate(offline: true, allowDataLoss: false);
            if (record) OfflineOrdinary.Add(clock.Elapsed.TotalSeconds);
        }
        finally
        {
            RecordTransfer.Enabled = true;
        }
    }

    private void MigOnline(bool record) => RunMig(record, offline: false);

    private void RunMig(bool record, bool offline)
    {
        var (old, @new) = Fresh(offline ? "mig-offline" : "mig-online");
        SqliteConnection.ClearAllPools();
        var log = new TimedLog();
        var migrator = new Migrator(v2.Model, v2.Hash, old, @new, log.Log);
        var start = log.Now;
        migrator.Migrate(offline, allowDataLoss: false);
        var end = log.Now;
        if (!record) return;
        (offline ? Offline : Online).Add(end - start);
        var phases = offline ? OfflinePhases : OnlinePhases;
        // Phase boundaries are the log lines: the plan is printed once it is made (row counts
        // included); online, a line follows the capture install; each copied chunk logs a line;
        // the last line comes when the file is finished (indexes, seeds, foreign key check, WAL, audit).
        var planned = log.Last(l => l.StartsWith("  ", StringComparison.Ordinal) || l == "Mig plan:") ?? start;
        var captured = offline ? planned : log.First(l => l.StartsWith("Mig: capturing", StringComparison.Ordinal)) ?? planned;
        var copied = log.Last(l => l.StartsWith("Mig: copy ", StringComparison.Ordinal)) ?? captured;
        phases.Add("lock, checks and plan (reads the old schema, counts rows)", planned - start);
        if (!offline) phases.Add("WAL switch of the old file + capture install", captured - planned);
        phases.Add("create new tables, attach, copy (rowid ranges of 50,000)", copied - captured);
        // After the copy Mig logs each step as "Mig: <step> in <n> s"; each phase runs from the
        // line before to that step's line, and the rest (closing, renaming) to the end.
        var at = copied;
        foreach (var (time, line) in log.Lines.Where(l => l.At > copied))
        {
            var m = System.Text.RegularExpressions.Regex.Match(line, @"^Mig: (.+) in [0-9.]+ s$");
            if (!m.Success) continue;
            phases.Add(m.Groups[1].Value, time - at);
            at = time;
        }
        phases.Add("the rest (close" + (offline ? ", rename" : "") + ")", end - at);
    }

    /// <summary>Every contender's last new file holds exactly the floor's rows.</summary>
    private void Verify()
    {
        var reference = Path.Combine(Dir("floor-sqlite3"), "new.db");
        foreach (var name in new[] { "floor-ado", "floor-ado-chunked", "floor-ado-unsynced", "floor-ado-bigcache", "mig-offline", "mig-online", "mig-offline-ordinary" })
        {
            var other = Path.Combine(Dir(name), "new.db");
            using var c = Fixture.Open(reference);
            Fixture.Exec(c, null, $"ATTACH DATABASE {Fixture.Quote(other)} AS other");
            long differing = 0, rows = 0;
            foreach (var t in Mapping.Tables)
            {
                var cols = string.Join(", ", t.Columns.Select(x => x.Column));
                differing += Fixture.Scalar(c, $"SELECT count(*) FROM (SELECT {cols} FROM main.{t.Table} EXCEPT SELECT {cols} FROM other.{t.Table})");
                differing += Fixture.Scalar(c, $"SELECT count(*) FROM (SELECT {cols} FROM other.{t.Table} EXCEPT SELECT {cols} FROM main.{t.Table})");
                rows += Fixture.Scalar(c, $"SELECT count(*) FROM other.{t.Table}");
            }
            var indexes = Fixture.Scalar(c, "SELECT count(*) FROM other.sqlite_schema WHERE type = 'index' AND name LIKE 'ix\\_%' ESCAPE '\\'");
            Checks.Add($"{name}: {Fmt.N(rows)} rows, {differing} rows differing from the sqlite3 floor's, {indexes} secondary indexes");
            if (differing != 0 || rows != sizes.Total) throw new InvalidOperationException("Copy check failed: " + Checks[^1]);
        }
        foreach (var name in new[] { "floor-sqlite3", "floor-ado", "floor-ado-chunked", "floor-ado-unsynced", "floor-ado-bigcache", "mig-offline", "mig-online", "mig-offline-ordinary" })
            foreach (var f in Directory.GetFiles(Dir(name))) File.Delete(f);
    }
}
