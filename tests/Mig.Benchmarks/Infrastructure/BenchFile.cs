using System.Reflection;
using Microsoft.Data.Sqlite;
using Mig.Benchmarks.Schema;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Benchmarks.Infrastructure;

/// <summary>
/// A fresh database file of the benchmark schema in a temp folder, created from
/// the model the build reflected (like MigInit), switched to WAL and seeded;
/// deleted on dispose. Every benchmark class makes its own in GlobalSetup, and
/// BenchmarkDotNet runs each case in its own process, so every contender starts
/// from an identical file.
/// </summary>
internal sealed class BenchFile : IDisposable
{
    /// <summary>Seeded people: <see cref="Teams"/> teams of <see cref="TeamSize"/>.</summary>
    public const int People = Teams * TeamSize;
    public const int Teams = 100;
    public const int TeamSize = 100;

    private static readonly Lazy<SchemaModel> Model = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("model.json")
            ?? throw new InvalidOperationException("model.json is not embedded");
        using var reader = new StreamReader(stream);
        return SchemaModelJson.Deserialize(reader.ReadToEnd());
    });

    private readonly string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mig-bench-" + Guid.NewGuid().ToString("N"));

    public BenchFile()
    {
        Directory.CreateDirectory(dir);
        Path = System.IO.Path.Combine(dir, MigSchemaInfo.DatabaseFileName);
        DatabaseCreator.Create(Model.Value, Path, MigSchemaInfo.Hash);
        using var c = Open();
        Execute(c, "PRAGMA journal_mode = WAL");
        Execute(c, "BEGIN IMMEDIATE");
        using (var insert = c.CreateCommand())
        {
            insert.CommandText = PersonQueries.InsertSql;
            // The generated insert's parameters: name, email, team, score, note.
            foreach (var name in new[] { "@p0", "@p1", "@p2", "@p3", "@p4" }) insert.Parameters.Add(new SqliteParameter { ParameterName = name });
            insert.Prepare();
            for (var i = 0; i < People; i++)
            {
                var p = NewPerson(i);
                insert.Parameters[0].Value = p.Name;
                insert.Parameters[1].Value = p.Email;
                insert.Parameters[2].Value = p.Team;
                insert.Parameters[3].Value = p.Score;
                insert.Parameters[4].Value = (object?)p.Note ?? DBNull.Value;
                insert.ExecuteNonQuery();
            }
        }
        Execute(c, "COMMIT");
        Execute(c, "PRAGMA wal_checkpoint(TRUNCATE)");
        using var sync = c.CreateCommand();
        sync.CommandText = "PRAGMA synchronous";
        Synchronous = (long)sync.ExecuteScalar()!;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>PRAGMA synchronous on a fresh connection (2 = FULL: every commit syncs the WAL).</summary>
    public long Synchronous { get; }

    /// <summary>The seeded person number <paramref name="i"/> (0-based; its id is i + 1). A third have a null note.</summary>
    public static Person NewPerson(int i) =>
        new(i + 1, $"Person {i}", $"person{i}@example.org", i % Teams, i * 0.5, i % 3 == 0 ? null : $"note {i}");

    /// <summary>
    /// A connection set up like the runtime's own (PooledConnection): read-write,
    /// no ADO.NET pooling, foreign keys on, a 5 s busy timeout.
    /// </summary>
    public SqliteConnection Open()
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            ForeignKeys = true,
        }.ToString());
        c.Open();
        Execute(c, "PRAGMA busy_timeout = 5000");
        return c;
    }

    private static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
    }
}
