using Microsoft.Data.Sqlite;
using Mig.Schema;

namespace Mig.Sql;

/// <summary>
/// Runs the schema's SQL in an in-memory database, so what only SQLite can judge
/// (a default expression, a [ViewSql] statement and its columns, seed rows that
/// break a constraint) is a schema error at build time, before any file exists.
/// </summary>
internal static class SchemaSqlCheck
{
    /// <summary>The errors SQLite finds in the model; empty when it accepts all of it.</summary>
    public static IReadOnlyList<SchemaError> Check(SchemaModel model)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        // Each check runs only when the ones before it passed: later ones need the objects they made.
        if (CreateObjects(connection, model) is { } rejected) return [rejected];
        var errors = Defaults(connection, model);
        errors.AddRange(MigrateFromCheck.Errors(connection, model));
        if (errors.Count > 0) return errors;
        errors = ViewColumns(connection, model);
        if (errors.Count > 0 || model.Seeds.Count == 0) return errors;
        return Seeds(connection, model);
    }

    /// <summary>Creates every table, index and view; the error of the one SQLite rejects, if any.</summary>
    private static SchemaError? CreateObjects(SqliteConnection connection, SchemaModel model)
    {
        try { SchemaWriter.CreateObjects(connection, model); }
        catch (SchemaSqlException e)
        {
            var view = model.Views.FirstOrDefault(v => v.Name == e.ObjectName);
            var code = view is { Synthesised: false } ? MigCode.ViewSqlMismatch : MigCode.SqlRejected;
            // The defaults are the only user SQL in a CREATE TABLE, so one of them is the
            // cause: naming it puts the error on its attribute instead of on the record.
            var culprit = view is null
                ? model.FindTable(e.ObjectName)?.Columns.FirstOrDefault(c => DefaultError(connection, c) is not null)
                : null;
            return new SchemaError(code,
                $"SQLite rejects the SQL of {e.ObjectName}: {((SqliteException)e.InnerException!).Message}. Fix the default, expression or view SQL in the attribute.\n    {e.Statement.Replace("\n", "\n    ", StringComparison.Ordinal)}",
                Type: e.ClrType, Member: culprit?.Property,
                Attribute: view is not null ? (view.Synthesised ? "View" : "ViewSql") : culprit is null ? null : DefaultAttribute(culprit),
                Argument: culprit?.Property);
        }
        return null;
    }

    /// <summary>
    /// SQLite accepts DEFAULT (unknown_function()) in CREATE TABLE and fails only at the
    /// first insert that needs the default, in production; evaluating each one finds it now.
    /// </summary>
    private static List<SchemaError> Defaults(SqliteConnection connection, SchemaModel model)
    {
        var errors = new List<SchemaError>();
        foreach (var table in model.Tables)
        {
            foreach (var column in table.Columns.Where(c => c.Default is not null || c.DefaultExpression is not null).DistinctBy(c => c.Property))
            {
                if (DefaultError(connection, column) is not { } why) continue;
                errors.Add(new SchemaError(MigCode.SqlRejected,
                    $"SQLite rejects the default of {table.Name}.{column.Name}: {why}. Fix the value in [{DefaultAttribute(column)}].",
                    Type: table.ClrType, Member: column.Property, Attribute: DefaultAttribute(column), Argument: column.Property));
            }
        }
        return errors;
    }

    /// <summary>Each [ViewSql] view runs, and returns exactly the record's columns.</summary>
    private static List<SchemaError> ViewColumns(SqliteConnection connection, SchemaModel model)
    {
        var errors = new List<SchemaError>();
        foreach (var view in model.Views.Where(v => !v.Synthesised))
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT * FROM {SqlIdentifier.Quote(view.Name)} LIMIT 0";
            List<string> actual;
            // CREATE VIEW does not resolve the tables and columns the SELECT names; the first read does.
            try
            {
                using var reader = cmd.ExecuteReader();
                actual = [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)];
            }
            catch (SqliteException e)
            {
                errors.Add(new SchemaError(MigCode.ViewSqlMismatch,
                    $"[ViewSql] of {ShortName(view.ClrType)} does not run against the schema: {e.Message}. Fix the SELECT.",
                    Type: view.ClrType, Attribute: "ViewSql"));
                continue;
            }
            if (ColumnMismatch(view, actual) is { } mismatch) errors.Add(mismatch);
        }
        return errors;
    }

    private static SchemaError? ColumnMismatch(ViewModel view, List<string> actual)
    {
        var expected = view.Columns.Select(c => c.Name).ToList();
        var missing = expected.Except(actual, StringComparer.OrdinalIgnoreCase).ToList();
        var extra = actual.Except(expected, StringComparer.OrdinalIgnoreCase).ToList();
        if (missing.Count == 0 && extra.Count == 0) return null;
        return new SchemaError(MigCode.ViewSqlMismatch,
            $"[ViewSql] of {ShortName(view.ClrType)} returns columns ({string.Join(", ", actual)}) but the record needs ({string.Join(", ", expected)})"
            + (missing.Count > 0 ? $"; missing: {string.Join(", ", missing)}" : "")
            + (extra.Count > 0 ? $"; not in the record: {string.Join(", ", extra)}" : "")
            + ". Alias the SELECT's columns (AS snake_case_name) to match the properties.",
            Type: view.ClrType, Attribute: "ViewSql");
    }

    /// <summary>Writes each seed, then checks that every seeded reference finds its row; rolled back.</summary>
    private static List<SchemaError> Seeds(SqliteConnection connection, SchemaModel model)
    {
        using var txn = connection.BeginTransaction();
        foreach (var seed in model.Seeds)
        {
            try { SchemaWriter.WriteSeeds(connection, model with { Seeds = [seed] }); }
            catch (SqliteException e) { return [SeedError(seed, e.Message)]; }
            // Microsoft.Data.Sqlite refuses some values before SQLite sees them (a double NaN).
            catch (InvalidOperationException e) { return [SeedError(seed, e.Message.TrimEnd('.'))]; }
        }
        var errors = new List<SchemaError>();
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA foreign_key_check";
        using (var reader = check.ExecuteReader())
        {
            if (reader.Read())
            {
                var table = reader.GetString(0);
                var parent = reader.GetString(2);
                var seed = model.Seeds.First(s => s.Table == table);
                errors.Add(SeedError(seed, $"a row of {table} references a {parent} row that no seed provides"));
            }
        }
        txn.Rollback();
        return errors;
    }

    private static string ShortName(string clrType) => clrType[(clrType.LastIndexOfAny(['.', '+']) + 1)..];

    private static string DefaultAttribute(ColumnModel column) => column.DefaultExpression is not null ? "DefaultExpr" : "Default";

    /// <summary>What SQLite says about a column's default on its own, declared and then used; null when it works.</summary>
    private static string? DefaultError(SqliteConnection connection, ColumnModel column)
    {
        var clause = column.DefaultExpression is { } expression ? $"({expression})" : column.Default;
        if (clause is null) return null;
        try
        {
            SqliteFile.Execute(connection, $"CREATE TEMP TABLE _mig_default_check(x DEFAULT {clause})");
            SqliteFile.Execute(connection, "INSERT INTO temp._mig_default_check DEFAULT VALUES");
            return null;
        }
        catch (SqliteException e) { return e.Message; }
        finally { SqliteFile.Execute(connection, "DROP TABLE IF EXISTS temp._mig_default_check"); }
    }

    private static SchemaError SeedError(SeedModel seed, string why)
    {
        var dot = seed.Source.LastIndexOf('.');
        return new SchemaError(MigCode.InvalidSeed,
            $"Seed {seed.Source} cannot be written: {why}. Fix the seed values.",
            Type: seed.Source[..dot], Member: seed.Source[(dot + 1)..]);
    }
}
