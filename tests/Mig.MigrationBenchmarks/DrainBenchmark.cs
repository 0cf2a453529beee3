using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Mig.Migration;

namespace Mig.MigrationBenchmarks;

/// <summary>
/// Benchmark 2: the drain. Each round makes two recorded pairs (fresh v1 copy, online
/// <c>Migrate</c>) and writes the same pending writes into each old file through a raw
/// connection: inserts, updates and deletes on all three tables, ten log entries per
/// transaction. On the first pair each transaction bumps <c>txn_seq</c> first, as
/// MigDatabase does, so its entries form one group per transaction; on the second
/// (a writer that knows nothing of Mig) they all share one <c>txn_id</c>. Timed:
/// <c>Migrator.Drain</c> on each pair, and the baseline: the same log applied by the
/// sqlite3 shell in one transaction, set-based (delete the logged rows the old file lost, then upsert the logged rows by key from the old file, then the
/// deletes), on a copy of the first pair. All three must end with the same rows.
/// </summary>
internal sealed class DrainBenchmark(Options options, Schema v2, string source, Sizes sizes, Action<string> progress)
{
    public Series Floor { get; } = new("sqlite3 set-based replay (floor)");
    public Series Grouped { get; } = new("Mig Drain, writes grouped per transaction");
    public Series Foreign { get; } = new("Mig Drain, foreign writer (one txn_id)");
    public Series GroupedWindow { get; } = new("window grouped");
    public Series ForeignWindow { get; } = new("window foreign");
    public Series GroupedReplay { get; } = new("replay grouped");
    public Series ForeignReplay { get; } = new("replay foreign");
    public Series GroupedBeforeDraining { get; } = new("lock+checks grouped");
    public Series WriteRate { get; } = new("captured writer txn/s");
    public Series Cutover { get; } = new("Mig Cutover (verify, then ready)");
    public Series CutoverFloor { get; } = new("sqlite3 shell: the content comparison");
    public Series CutoverInProcess { get; } = new("same comparison in-process, Microsoft.Data.Sqlite (floor)");
    public long Pending { get; private set; }
    public List<string> Checks { get; } = [];

    private int Transactions => (options.DrainWrites + 9) / 10;

    public void Run()
    {
        var dir = Path.Combine(options.Work, "drain");
        Directory.CreateDirectory(dir);
        string P(string name) => Path.Combine(dir, name);
        for (var round = 0; round < options.Warmup + options.Runs; round++)
        {
            var record = round >= options.Warmup;
            var clock = Stopwatch.StartNew();
            Prepare(P("grouped-old.db"), P("grouped-new.db"), grouped: true, record);
            Prepare(P("foreign-old.db"), P("foreign-new.db"), grouped: false, record: false);
            Fixture.CopyDatabase(P("grouped-old.db"), P("floor-old.db"));
            Fixture.CopyDatabase(P("grouped-new.db"), P("floor-new.db"));
            Fixture.Sync();
            var timed = new Action[]
            {
                () => RunFloor(P("floor-old.db"), P("floor-new.db"), record),
                () => RunDrain(P("grouped-old.db"), P("grouped-new.db"), record ? Grouped : null, GroupedWindow, GroupedReplay, GroupedBeforeDraining),
                () => RunDrain(P("foreign-old.db"), P("foreign-new.db"), record ? Foreign : null, ForeignWindow, ForeignReplay, null),
            };
            for (var i = 0; i < timed.Length; i++) timed[(i + round) % timed.Length]();
            // Writes stay refused after the drain until traffic moves: the cutover's verify is part of the window.
            var cutover = new Action[]
            {
                () => RunCompareFloor(P("floor-old.db"), P("floor-new.db"), record),
                () => RunCompareInProcess(P("floor-old.db"), P("floor-new.db"), record),
                () => RunCutover(P("grouped-old.db"), P("grouped-new.db"), record),
            };
            for (var i = 0; i < cutover.Length; i++) cutover[(i + round) % cutover.Length]();
            progress(string.Create(CultureInfo.InvariantCulture, $"drain: round {round + 1}/{options.Warmup + options.Runs}{(record ? "" : " (warm-up)")} in {clock.Elapsed.TotalSeconds:F1} s, load {Machine.LoadAverage()}"));
        }
        Verify(P("floor-new.db"), P("grouped-new.db"), "Mig Drain (grouped)");
        Verify(P("floor-new.db"), P("foreign-new.db"), "Mig Drain (foreign writer)");
        Checks.Add("Migrator.Cutover on the last grouped pair: " + lastVerified);
        foreach (var f in Directory.GetFiles(dir)) File.Delete(f);
    }

    /// <summary>A recorded pair with the pending writes in its log (nothing here is timed but the writer's rate).</summary>
    private void Prepare(string old, string @new, bool grouped, bool record)
    {
        Fixture.Delete(@new);
        Fixture.CopyDatabase(source, old);
        new Migrator(v2.Model, v2.Hash, old, @new, _ => { }).Migrate(offline: false, allowDataLoss: false);
        long cutoff;
        using (var n = Fixture.Open(@new)) cutoff = long.Parse(Fixture.Text(n, "SELECT value FROM _mig_info WHERE key = 'cutoff'"), CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        Write(old, grouped);
        if (record) WriteRate.Add(Transactions / clock.Elapsed.TotalSeconds);
        using var c = Fixture.Open(old);
        Pending = Fixture.Scalar(c, $"SELECT count(*) FROM _migration_log WHERE id > {cutoff}");
        if (Pending != Transactions * 10L) throw new InvalidOperationException($"expected {Transactions * 10} pending writes, found {Pending}");
    }

    /// <summary>Ten captured writes per transaction: 5 inserts (customer, order, 3 lines), 3 updates, 2 deletes.</summary>
    private void Write(string old, bool grouped)
    {
        using var c = Fixture.Open(old, foreignKeys: true);
        Fixture.Exec(c, null, "PRAGMA synchronous = OFF"); // setup, not measured: no fsync per commit
        SqliteCommand Cmd(string sql)
        {
            var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            return cmd;
        }
        using var begin = Cmd("BEGIN IMMEDIATE");
        using var commit = Cmd("COMMIT");
        using var bump = Cmd("UPDATE _migration_marker SET txn_seq = txn_seq + 1 WHERE id = 0");
        using var customer = Cmd("INSERT INTO customer(name, email, tier) VALUES (@n, @e, 1)");
        using var order = Cmd("INSERT INTO customer_order(customer_id, placed_at, status) VALUES (last_insert_rowid(), '2025-01-01T00:00:00Z', 'placed')");
        using var line = Cmd("INSERT INTO order_line(order_id, sku, quantity, price) VALUES (@o, @s, 1, 9.99)");
        using var tier = Cmd("UPDATE customer SET tier = tier + 1 WHERE id = @id");
        using var status = Cmd("UPDATE customer_order SET status = 'shipped' WHERE id = @id");
        using var quantity = Cmd("UPDATE order_line SET quantity = quantity + 1 WHERE id = @id");
        using var delete = Cmd("DELETE FROM order_line WHERE id = @id");
        customer.Parameters.Add("@n", SqliteType.Text);
        customer.Parameters.Add("@e", SqliteType.Text);
        line.Parameters.Add("@o", SqliteType.Integer);
        line.Parameters.Add("@s", SqliteType.Text);
        foreach (var cmd in new[] { tier, status, quantity, delete }) cmd.Parameters.Add("@id", SqliteType.Integer);
        for (var t = 0; t < Transactions; t++)
        {
            begin.ExecuteNonQuery();
            if (grouped) bump.ExecuteNonQuery();
            customer.Parameters[0].Value = "New customer " + t.ToString(CultureInfo.InvariantCulture);
            customer.Parameters[1].Value = "new" + t.ToString(CultureInfo.InvariantCulture) + "@example.org";
            customer.ExecuteNonQuery();
            order.ExecuteNonQuery();
            var orderId = Fixture.Scalar(c, "SELECT last_insert_rowid()");
            for (var i = 0; i < 3; i++)
            {
                line.Parameters[0].Value = orderId;
                line.Parameters[1].Value = "SKU-NEW-" + i.ToString(CultureInfo.InvariantCulture);
                line.ExecuteNonQuery();
            }
            tier.Parameters[0].Value = t * 13L % sizes.Customers + 1;
            tier.ExecuteNonQuery();
            status.Parameters[0].Value = t * 17L % sizes.Orders + 1;
            status.ExecuteNonQuery();
            quantity.Parameters[0].Value = sizes.Lines - t; // from the end: never one of the deleted rows
            quantity.ExecuteNonQuery();
            for (var i = 1; i <= 2; i++)
            {
                delete.Parameters[0].Value = 2L * t + i;
                delete.ExecuteNonQuery();
            }
            commit.ExecuteNonQuery();
        }
    }

    private void RunFloor(string old, string @new, bool record)
    {
        long cutoff;
        using (var n = Fixture.Open(@new)) cutoff = long.Parse(Fixture.Text(n, "SELECT value FROM _mig_info WHERE key = 'checkpoint'"), CultureInfo.InvariantCulture);
        SqliteConnection.ClearAllPools();
        var script = new StringBuilder(".bail on\n");
        script.Append(CultureInfo.InvariantCulture, $"ATTACH DATABASE {Fixture.Quote(old)} AS old;\nBEGIN;\n");
        foreach (var t in Mapping.Tables)
            foreach (var sql in Mapping.ReplaySql(t, cutoff)) script.Append(sql).Append(";\n");
        script.Append("INSERT INTO _mig_info(key, value) SELECT 'checkpoint', max(id) FROM old._migration_log WHERE true ON CONFLICT(key) DO UPDATE SET value = excluded.value;\nCOMMIT;\n");
        var clock = Stopwatch.StartNew();
        var (code, output) = Fixture.RunProcess(Fixture.Sqlite3, [@new], script.ToString());
        var elapsed = clock.Elapsed.TotalSeconds;
        if (code != 0) throw new InvalidOperationException("sqlite3 replay failed: " + output);
        if (record) Floor.Add(elapsed);
    }

    private void RunDrain(string old, string @new, Series? total, Series window, Series replay, Series? beforeDraining)
    {
        SqliteConnection.ClearAllPools();
        var log = new TimedLog();
        var start = log.Now;
        new Migrator(v2.Model, v2.Hash, old, @new, log.Log).Drain();
        var end = log.Now;
        if (total is null) return;
        total.Add(end - start);
        // The marker is 'draining' (writes refused) from the commit that the "is draining" line follows.
        var draining = log.First(l => l.Contains("is draining", StringComparison.Ordinal)) ?? start;
        window.Add(end - draining);
        // Drain catches up before it pauses: replay runs from the start to the tail's last batch.
        var last = log.Last(l => l.StartsWith("Mig: replayed ", StringComparison.Ordinal)) ?? end;
        replay.Add(last - start);
        beforeDraining?.Add(draining - start);
    }

    private string lastVerified = "";

    private void RunCutover(string old, string @new, bool record)
    {
        SqliteConnection.ClearAllPools();
        var log = new TimedLog();
        var start = log.Now;
        new Migrator(v2.Model, v2.Hash, old, @new, log.Log).Cutover();
        var end = log.Now;
        lastVerified = log.Lines.Last(l => l.Line.StartsWith("Mig: verified", StringComparison.Ordinal)).Line;
        if (record) Cutover.Add(end - start);
    }

    private void RunCompareFloor(string old, string @new, bool record)
    {
        SqliteConnection.ClearAllPools();
        var script = new StringBuilder(".bail on\n");
        // The shell keeps EXCEPT's temporary b-trees in a file by default; Microsoft.Data.Sqlite's build keeps them in memory.
        script.Append(CultureInfo.InvariantCulture, $"PRAGMA temp_store = MEMORY;\nATTACH DATABASE {Fixture.Quote(old)} AS old;\n");
        foreach (var sql in Mapping.CompareSql()) script.Append(sql).Append(";\n");
        var clock = Stopwatch.StartNew();
        var (code, output) = Fixture.RunProcess(Fixture.Sqlite3, [@new], script.ToString());
        var elapsed = clock.Elapsed.TotalSeconds;
        if (code != 0) throw new InvalidOperationException("sqlite3 comparison failed: " + output);
        var counts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (counts.Length != Mapping.CompareSql().Count() || counts.Any(c => c != "0"))
            throw new InvalidOperationException("sqlite3 comparison found differences: " + output);
        if (record) CutoverFloor.Add(elapsed);
    }

    /// <summary>The shell's SQLite is older than the one Mig runs on; the same SQL on Mig's library separates the two.</summary>
    private void RunCompareInProcess(string old, string @new, bool record)
    {
        SqliteConnection.ClearAllPools();
        var clock = Stopwatch.StartNew();
        using (var c = Fixture.Open(@new))
        {
            Fixture.Exec(c, null, $"ATTACH DATABASE {Fixture.Quote(old)} AS old");
            foreach (var sql in Mapping.CompareSql())
                if (Fixture.Scalar(c, sql) != 0) throw new InvalidOperationException("in-process comparison found differences: " + sql);
        }
        if (record) CutoverInProcess.Add(clock.Elapsed.TotalSeconds);
    }

    private void Verify(string reference, string other, string name)
    {
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
        Checks.Add($"{name}: {Fmt.N(rows)} rows after drain, {differing} rows differing from the floor's replay");
        if (differing != 0) throw new InvalidOperationException("Drain check failed: " + Checks[^1]);
    }
}
