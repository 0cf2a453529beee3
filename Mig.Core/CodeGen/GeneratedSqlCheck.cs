using Microsoft.Data.Sqlite;
using Mig.Schema;
using SQLitePCL;

namespace Mig.CodeGen;

/// <summary>
/// Prepares every statement the generated code runs against the schema, created in an
/// in-memory database, so a statement SQLite cannot compile (a column a view does not
/// have, a name it reads differently) is a build error at the attribute that made it,
/// never an exception in production. Also checks that each statement's parameters are
/// exactly the ones its command binds, since a parameter left unbound fails only when run.
/// </summary>
internal static class GeneratedSqlCheck
{
    // sqlite3_db_config verbs (sqlite.org/c3ref/c_dbconfig_defensive.html).
    private const int DqsDml = 1013;

    /// <summary>
    /// One error per statement SQLite refuses; empty when all prepare. <paramref name="schema"/> is the
    /// schema's CREATE statements (Ddl.Statements; the caller composes the layers) and must be valid.
    /// </summary>
    public static IReadOnlyList<SchemaError> Check(IReadOnlyList<string> schema, IReadOnlyList<GeneratedStatement> statements)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        // With double-quoted string literals on, a quoted name that matches no column
        // silently becomes a string ("namé" = 'namé'): turn them off so it is an error.
        raw.sqlite3_db_config(connection.Handle, DqsDml, 0, out _);
        foreach (var create in schema) SqliteFile.Execute(connection, create);
        var errors = new List<SchemaError>();
        foreach (var s in statements)
        {
            var problem = Problem(connection, s);
            if (problem is null) continue;
            var query = s.Query;
            errors.Add(new SchemaError(MigCode.GeneratedSqlRejected,
                $"The generated {s.Method} of {ShortName(s.ClrType)} ({s.Constant}) does not prepare against the schema (SQLite: {problem}). " +
                "Check the names the attribute and the schema give SQLite (a [ViewSql] column must match the property's column exactly; SQLite ignores case only in ASCII letters); " +
                $"if they are right, this is a bug in Mig: please report it.\n    {s.Sql}",
                Type: s.ClrType,
                Attribute: query?.Kind.ToString(),
                Argument: query is null ? null : query.Properties.FirstOrDefault() ?? query.OrderBy.Select(t => t.Property).FirstOrDefault()));
        }
        return errors;
    }

    /// <summary>What is wrong with one statement, or null when it prepares and binds what its command adds.</summary>
    private static string? Problem(SqliteConnection connection, GeneratedStatement statement)
    {
        var db = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(db, statement.Sql, out var stmt, out var tail);
        using (stmt)
        {
            if (rc != raw.SQLITE_OK) return raw.sqlite3_errmsg(db).utf8_to_string();
            if (!string.IsNullOrWhiteSpace(tail)) return $"it holds more than one statement ('{tail.Trim()}' follows the first)";
            var names = Enumerable.Range(1, raw.sqlite3_bind_parameter_count(stmt))
                .Select(i => raw.sqlite3_bind_parameter_name(stmt, i).utf8_to_string() ?? $"?{i}").ToList();
            var unbound = names.Except(statement.Parameters, StringComparer.Ordinal).ToList();
            var unused = statement.Parameters.Except(names, StringComparer.Ordinal).ToList();
            if (unbound.Count > 0) return $"SQLite finds the parameters {string.Join(", ", unbound)}, which the generated command does not bind";
            if (unused.Count > 0) return $"the generated command binds {string.Join(", ", unused)}, which the statement does not use";
            return null;
        }
    }

    private static string ShortName(string clrType) => clrType[(clrType.LastIndexOfAny(['.', '+']) + 1)..];
}
