using Microsoft.Data.Sqlite;
using Mig.Schema;

namespace Mig.Sql;

/// <summary>Writes a model into an open connection: tables, indexes, views, then seeds.</summary>
internal static class SchemaWriter
{
    /// <summary>Creates every table, index and view, in model order.</summary>
    public static void CreateObjects(SqliteConnection connection, SchemaModel model)
    {
        foreach (var table in model.Tables)
        {
            Run(connection, table.Name, table.ClrType, Ddl.CreateTable(table));
            foreach (var ix in table.Indexes) Run(connection, ix.Name, table.ClrType, Ddl.CreateIndex(table, ix));
        }
        foreach (var view in model.Views) Run(connection, view.Name, view.ClrType, Ddl.CreateView(view));
    }

    /// <summary>
    /// Writes the seed rows in model order (parents first), every value bound.
    /// The caller owns the transaction; foreign keys are deferred to its commit
    /// so seeds that reference each other through [References] cycles still load.
    /// </summary>
    /// <param name="connection">The open database.</param>
    /// <param name="model">The model whose seeds to write.</param>
    /// <param name="onlyMissing">
    /// During a migration: insert only rows whose key is not taken, never overwrite copied data
    /// (a seeded row a user edited stays edited). Returns the rowids of the rows it inserted.
    /// </param>
    public static IReadOnlyList<(string Table, long RowId)> WriteSeeds(SqliteConnection connection, SchemaModel model, bool onlyMissing = false)
    {
        var inserted = new List<(string, long)>();
        using (var defer = connection.CreateCommand())
        {
            defer.CommandText = "PRAGMA defer_foreign_keys = ON";
            defer.ExecuteNonQuery();
        }
        foreach (var seed in model.Seeds)
        {
            var table = model.FindTable(seed.Table) ?? throw new InvalidOperationException($"Seed for unknown table {seed.Table}.");
            using var cmd = connection.CreateCommand();
            cmd.CommandText = onlyMissing ? Ddl.SeedInsertMissing(table) : Ddl.SeedUpsert(table);
            var parameters = seed.Columns.Select((_, i) => cmd.Parameters.Add(new SqliteParameter("@p" + i, null))).ToArray();
            cmd.Prepare();
            foreach (var row in seed.Rows)
            {
                for (var i = 0; i < parameters.Length; i++) parameters[i].Value = row[i] ?? DBNull.Value;
                if (!onlyMissing) cmd.ExecuteNonQuery();
                else if (cmd.ExecuteScalar() is long rowid) inserted.Add((table.Name, rowid));
            }
        }
        return inserted;
    }

    private static void Run(SqliteConnection connection, string name, string clrType, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        try { cmd.ExecuteNonQuery(); }
        catch (SqliteException e) { throw new SchemaSqlException(name, clrType, sql, e); }
    }
}
