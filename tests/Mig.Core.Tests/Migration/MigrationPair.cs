using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Mig.Migration;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Core.Tests.Migration;

/// <summary>
/// An old database file made from a v1 schema (as MigInit makes it) in a temp
/// directory of its own, the path of the new file next to it, and a
/// <see cref="Migrator"/> for a v2 schema that logs into <see cref="Log"/>.
/// Every read and write opens its own unpooled connection, so no handle outlives
/// the call and the files can be hashed, moved and deleted. Disposing deletes it all.
/// </summary>
internal sealed class MigrationPair : IDisposable
{
    public string Directory { get; }
    public string OldPath { get; }
    public string NewPath { get; }
    public SchemaModel OldModel { get; }
    public List<string> Log { get; } = [];

    private MigrationPair(string directory, SchemaModel oldModel)
    {
        Directory = directory;
        OldModel = oldModel;
        OldPath = Path.Combine(directory, "app-old.db");
        NewPath = Path.Combine(directory, "app-new.db");
    }

    /// <summary>Creates the old file of <paramref name="v1Source"/> and runs <paramref name="sql"/> on it (foreign keys off).</summary>
    public static MigrationPair Create(string v1Source, params string[] sql) => Create(SchemaFixture.Model(v1Source), sql);

    public static MigrationPair Create(SchemaModel v1, params string[] sql)
    {
        var dir = TestDatabase.NewDirectory();
        var pair = new MigrationPair(dir, v1);
        try
        {
            DatabaseCreator.Create(v1, pair.OldPath, SchemaHash.Compute(v1));
            foreach (var s in sql) pair.Execute(pair.OldPath, s);
        }
        catch
        {
            pair.Dispose();
            throw;
        }
        return pair;
    }

    /// <summary>A migrator from the old file to the new path for the schema <paramref name="v2"/>.</summary>
    public Migrator Migrator(SchemaModel v2) => new(v2, SchemaHash.Compute(v2), OldPath, NewPath, Log.Add);

    /// <summary>A migrator to another new path (a second migration of the same old file).</summary>
    public Migrator Migrator(SchemaModel v2, string newPath) => new(v2, SchemaHash.Compute(v2), OldPath, newPath, Log.Add);

    /// <summary>Migrates online to <paramref name="v2"/>, drains and cuts over (losses accepted when told): where MigRevert starts.</summary>
    public Migrator CutOver(SchemaModel v2, bool allowDataLoss = false)
    {
        var migrator = Migrator(v2);
        migrator.Migrate(offline: false, allowDataLoss);
        migrator.Drain();
        migrator.Cutover(allowDataLoss);
        return migrator;
    }

    public static SqliteConnection Open(string path, bool foreignKeys = false)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            ForeignKeys = foreignKeys,
        }.ToString());
        c.Open();
        return c;
    }

    /// <summary>Writes to the old file as any other program would: a plain connection, foreign keys enforced, one transaction.</summary>
    public void WriteOld(params string[] statements)
    {
        using var c = Open(OldPath, foreignKeys: true);
        using var txn = c.BeginTransaction();
        foreach (var sql in statements)
        {
            using var cmd = c.CreateCommand();
            cmd.Transaction = txn;
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }
        txn.Commit();
    }

    public int Execute(string path, string sql, params (string Name, object? Value)[] parameters)
    {
        using var c = Open(path);
        using var cmd = Command(c, sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    public object? Scalar(string path, string sql, params (string Name, object? Value)[] parameters)
    {
        using var c = Open(path);
        using var cmd = Command(c, sql, parameters);
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    /// <summary>Every row, every value as SQLite stores it (long, double, string, byte[] or null).</summary>
    public List<object?[]> Rows(string path, string sql, params (string Name, object? Value)[] parameters)
    {
        using var c = Open(path);
        return Rows(c, sql, parameters);
    }

    public static List<object?[]> Rows(SqliteConnection c, string sql, params (string Name, object? Value)[] parameters) => SqlRows.Read(c, sql, parameters);

    /// <summary>The names of the tables in a file, Mig's bookkeeping included, sorted.</summary>
    public List<string> Tables(string path) =>
        [.. Rows(path, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").Select(r => (string)r[0]!)];

    /// <summary>Every object of a file's schema as "type name tbl_name sql", sorted.</summary>
    public List<string> Schema(string path) =>
        [.. Rows(path, "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name")
            .Select(r => $"{r[0]} {r[1]} {r[2]} {r[3]}")];

    /// <summary>SHA-256 of a database file with its WAL, if any: equal means not one byte changed.</summary>
    public static string Hash(string path)
    {
        using var sha = SHA256.Create();
        var bytes = File.ReadAllBytes(path);
        var wal = path + "-wal";
        if (File.Exists(wal)) bytes = [.. bytes, .. File.ReadAllBytes(wal)];
        return Convert.ToHexString(sha.ComputeHash(bytes));
    }

    /// <summary>The file names in the directory, sorted.</summary>
    public List<string> Files() => [.. System.IO.Directory.GetFiles(Directory).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    private static SqliteCommand Command(SqliteConnection c, string sql, (string Name, object? Value)[] parameters) => SqlRows.Command(c, sql, parameters);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>Assertions on rows read back with SQL: exact values, exact storage classes.</summary>
internal static class RowAssert
{
    /// <summary>Asserts that <paramref name="actual"/> holds exactly <paramref name="expected"/>, in order, value by value and type by type.</summary>
    public static void AreEqual(IReadOnlyList<object?[]> expected, IReadOnlyList<object?[]> actual, string message = "")
    {
        var e = string.Join("\n", expected.Select(Show));
        var a = string.Join("\n", actual.Select(Show));
        Assert.AreEqual(e, a, $"{message}\nexpected rows:\n{e}\nactual rows:\n{a}");
    }

    /// <summary>A row as text that tells storage classes apart: 12 (long), 12.0 (double), '12' (string), x'0C' (blob), NULL.</summary>
    public static string Show(object?[] row) => "(" + string.Join(", ", row.Select(Show)) + ")";

    public static string Show(object? v) => v switch
    {
        null => "NULL",
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        int i => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        double d => "R:" + d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        string s => "'" + s + "'",
        byte[] b => "x'" + Convert.ToHexString(b) + "'",
        _ => throw new ArgumentException($"Not a storage value: {v.GetType()}", nameof(v)),
    };

    public static object?[] Row(params object?[] values) => values;
}
