using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Mig.Schema;
using Mig.Sql;

namespace Mig.MigrationBenchmarks;

/// <summary>A compiled schema version: the model the build would reflect, and its hash.</summary>
internal sealed record Schema(SchemaModel Model, string Hash)
{
    public TableModel Table(string name) => Model.FindTable(name) ?? throw new InvalidOperationException($"no table {name}");
}

/// <summary>How many rows each table of a database of <see cref="Total"/> rows gets.</summary>
internal sealed record Sizes(long Customers, long Orders, long Lines)
{
    public long Total => Customers + Orders + Lines;

    /// <summary>1/20 customers, 1/4 orders, the rest order lines (about 3 lines per order).</summary>
    public static Sizes For(long total) => new(total / 20, total / 4, total - total / 20 - total / 4);
}

internal static class Fixture
{
    public const string Sqlite3 = "/usr/bin/sqlite3";

    /// <summary>Compiles a schema file with the schema compiler the build uses (Mig.Tasks' compile verb), as its own process.</summary>
    public static Schema Compile(string sourceFile, string workDir)
    {
        var tool = typeof(Fixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MigTasksDll").Value!;
        if (!File.Exists(tool)) throw new FileNotFoundException($"Build Mig.Tasks first (dotnet build Mig.Tasks -c Release): {tool} is missing.", tool);
        // Only the runtime's own assemblies and Mig.Core, as tests/Mig.Core.Tests/SchemaFixture.cs does.
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var references = tpa.Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDir, StringComparison.Ordinal))
            .Append(typeof(PKAttribute).Assembly.Location).Distinct(StringComparer.Ordinal);
        var name = Path.GetFileNameWithoutExtension(sourceFile);
        var model = Path.Combine(workDir, name + ".model.json");
        var hash = Path.Combine(workDir, name + ".hash");
        var args = new List<string> { tool, "compile", "--source", sourceFile, "--out-model", model, "--out-hash", hash, "--assembly-name", "Bench" + name };
        foreach (var r in references) { args.Add("--reference"); args.Add(r); }
        foreach (var u in new[] { "System", "System.Collections.Generic", "Mig" }) { args.Add("--using"); args.Add(u); }
        var (code, output) = RunProcess(DotnetHost(), args, stdin: null);
        if (code != 0) throw new InvalidOperationException($"Schema compile of {sourceFile} failed ({code}):\n{output}");
        return new Schema(SchemaModelJson.Deserialize(File.ReadAllText(model)), File.ReadAllText(hash).Trim());
    }

    private static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    /// <summary>Runs a process to completion; returns its exit code and its output (stdout then stderr).</summary>
    public static (int Code, string Output) RunProcess(string file, IEnumerable<string> args, string? stdin)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>
    /// A v1 database of <paramref name="sizes"/> rows, made like a live one: created by
    /// DatabaseCreator (tables, indexes, status 'ready', WAL), then filled. Deterministic
    /// pseudo-random foreign keys, so the indexes are not in insertion order.
    /// </summary>
    public static void CreateV1(Schema v1, string path, Sizes sizes)
    {
        Delete(path);
        DatabaseCreator.Create(v1.Model, path, v1.Hash);
        using var c = Open(path);
        using (var txn = c.BeginTransaction())
        {
            Exec(c, txn, $"""
                WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {sizes.Customers})
                INSERT INTO customer(id, name, email, tier)
                SELECT i, 'Customer ' || i, 'customer' || ((i * 7919) % {sizes.Customers}) || '.' || i || '@example.org', i % 5 FROM s
                """);
            Exec(c, txn, $"""
                WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {sizes.Orders})
                INSERT INTO customer_order(id, customer_id, placed_at, status)
                SELECT i, (i * 7919) % {sizes.Customers} + 1,
                       printf('2024-%02d-%02dT%02d:%02d:00Z', i % 12 + 1, i % 28 + 1, i % 24, i % 60),
                       CASE i % 4 WHEN 0 THEN 'placed' WHEN 1 THEN 'paid' WHEN 2 THEN 'shipped' ELSE 'delivered' END FROM s
                """);
            Exec(c, txn, $"""
                WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {sizes.Lines})
                INSERT INTO order_line(id, order_id, sku, quantity, price)
                SELECT i, (i * 104729) % {sizes.Orders} + 1, 'SKU-' || (i % 5000), i % 9 + 1, (i % 10000) / 100.0 FROM s
                """);
            txn.Commit();
        }
        Exec(c, null, "PRAGMA wal_checkpoint(TRUNCATE)");
    }

    /// <summary>A fresh copy of a closed database file (no -wal left), as a run's own old file.</summary>
    public static void CopyDatabase(string from, string to)
    {
        Delete(to);
        File.Copy(from, to);
    }

    /// <summary>An unpooled connection (foreign keys off, like Mig's own), with a busy timeout.</summary>
    public static SqliteConnection Open(string path, bool foreignKeys = false)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            ForeignKeys = foreignKeys,
        }.ToString());
        c.Open();
        Exec(c, null, "PRAGMA busy_timeout = 10000");
        return c;
    }

    public static void Exec(SqliteConnection c, SqliteTransaction? txn, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = txn;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public static long Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }

    public static string Text(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>Deletes a database with its side files (and Mig's lock files).</summary>
    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal", ".miglock", ".miglock.info" })
            if (File.Exists(path + suffix)) File.Delete(path + suffix);
    }

    /// <summary>Flushes dirty pages (the setup's file copies) so they do not land in a measured fsync.</summary>
    public static void Sync() => RunProcess("sync", [], null);

    public static string Quote(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";
}
