using System;
using System.IO;
using Microsoft.Data.Sqlite;
using Mig;
using Mig.Schema;
using Mig.Sql;

namespace Consumer.Tests;

/// <summary>A fresh database file of the consumer schema, from the model the build reflected, deleted afterwards.</summary>
internal sealed class TestDatabase : IDisposable
{
    private static readonly Lazy<SchemaModel> Model = new(() =>
        SchemaModelJson.Deserialize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "model.json"))));

    private readonly string dir = Path.Combine(Path.GetTempPath(), "mig-consumer-" + Guid.NewGuid().ToString("N"));

    public TestDatabase()
    {
        Directory.CreateDirectory(dir);
        FilePath = Path.Combine(dir, Schema.MigSchemaInfo.DatabaseFileName);
        DatabaseCreator.Create(Model.Value, FilePath, Schema.MigSchemaInfo.Hash);
        Db = new MigDatabase(FilePath);
    }

    public string FilePath { get; }

    public MigDatabase Db { get; }

    /// <summary>A plain connection of its own, like another process's writer.</summary>
    public SqliteConnection OpenRaw()
    {
        var c = new SqliteConnection($"Data Source={FilePath};Pooling=False");
        c.Open();
        return c;
    }

    public void Dispose()
    {
        Db.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }
}
