using Microsoft.Data.Sqlite;

namespace Mig.Sql;

/// <summary>A statement of the schema that SQLite rejected, with the table or view it belongs to.</summary>
internal sealed class SchemaSqlException(string objectName, string clrType, string statement, SqliteException inner)
    : Exception($"SQLite rejects the SQL of {objectName}: {inner.Message}\n{statement}", inner)
{
    /// <summary>The table or view.</summary>
    public string ObjectName { get; } = objectName;
    /// <summary>The C# type it comes from.</summary>
    public string ClrType { get; } = clrType;
    /// <summary>The rejected statement.</summary>
    public string Statement { get; } = statement;
}
