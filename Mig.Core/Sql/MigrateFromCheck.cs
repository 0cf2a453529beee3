using Microsoft.Data.Sqlite;
using Mig.Schema;

namespace Mig.Sql;

/// <summary>
/// Build-time check of each [MigrateFrom] expression (MIG0029), before any old file is at hand. The old
/// table's columns are unknown here, so each name SQLite reports missing becomes a column of a scratch
/// table and the expression is tried again; what is left is SQLite's verdict on the expression itself.
/// It is tried as a generated column, which SQLite allows only what is a deterministic value of one row
/// (no subquery, aggregate, window, parameter, random() or current time), which is what the copy,
/// replay and verification need to agree on, and as a SELECT over that row, which refuses what would
/// escape its parentheses.
/// </summary>
internal static class MigrateFromCheck
{
    private const string Scratch = "temp.mig_migrate_from_check";
    private const string Missing = "no such column: ";

    /// <summary>One error per [MigrateFrom] SQLite rejects.</summary>
    public static IEnumerable<SchemaError> Errors(SqliteConnection connection, SchemaModel model)
    {
        foreach (var table in model.Tables)
            foreach (var column in table.Columns.Where(c => c.MigrateFrom is not null))
                if (Rejection(connection, column.MigrateFrom!) is { } why)
                    yield return new SchemaError(MigCode.MigrateFromRejected,
                        $"SQLite rejects [MigrateFrom] of {table.Name}.{column.Name} ({column.MigrateFrom}): {why}. Write a SQL expression over the old table's columns (unqualified names, deterministic functions, no subquery or aggregate), for example \"first_name || ' ' || last_name\".",
                        Type: table.ClrType, Member: column.Property);
    }

    /// <summary>What SQLite says about the expression over a row that has every column it names; null when it accepts it.</summary>
    internal static string? Rejection(SqliteConnection connection, string expression)
    {
        var names = new List<string>();
        // Each round names one more column; an expression names at most a few dozen.
        for (var round = 0; round < 200; round++)
        {
            var columns = string.Concat(names.Select(n => SqlIdentifier.Quote(n) + ", "));
            try
            {
                SqliteFile.Execute(connection, $"CREATE TABLE {Scratch}({columns}mig_row_marker, mig_migrate_from_value GENERATED ALWAYS AS ({expression}))");
                SqliteFile.Execute(connection, $"INSERT INTO {Scratch}(mig_row_marker) VALUES (1)");
                // The generated column is computed on read: that is where a use of 'now' is refused.
                SqliteFile.Execute(connection, $"SELECT mig_migrate_from_value, ({expression}) FROM {Scratch}");
                return null;
            }
            catch (SqliteException e)
            {
                var message = SqliteMessage(e);
                if (!message.StartsWith(Missing, StringComparison.Ordinal)) return message;
                var name = Unhinted(message[Missing.Length..]);
                // A name that stays missing once the row has it is qualified (old.first_name, t.first_name).
                if (names.Contains(name, StringComparer.Ordinal))
                    return $"{name} is not a column of the old row; name the old table's columns without a table name";
                names.Add(name);
            }
            finally
            {
                SqliteFile.Execute(connection, $"DROP TABLE IF EXISTS {Scratch}");
            }
        }
        return "it names too many columns";
    }

    /// <summary>
    /// The name in "no such column: X". For a double-quoted name SQLite adds a hint and shows it
    /// quoted (as written, inner quotes single): <c>"first name" - should this be a string literal in single-quotes?</c>.
    /// </summary>
    private static string Unhinted(string name)
    {
        const string hint = " - should this be a string literal in single-quotes?";
        if (!name.EndsWith(hint, StringComparison.Ordinal)) return name;
        name = name[..^hint.Length];
        return name.Length >= 2 && name[0] == '"' && name[^1] == '"' ? name[1..^1] : name;
    }

    /// <summary>SQLite's own message, without Microsoft.Data.Sqlite's "SQLite Error 1: '...'." around it.</summary>
    internal static string SqliteMessage(SqliteException e)
    {
        var m = e.Message;
        var start = m.IndexOf(": '", StringComparison.Ordinal);
        return start >= 0 && m.EndsWith("'.", StringComparison.Ordinal) ? m[(start + 3)..^2] : m;
    }
}
