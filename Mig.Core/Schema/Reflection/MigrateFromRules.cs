using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Mig.Schema;

/// <summary>
/// Reads [MigrateFrom] off a property and refuses what cannot apply (MIG0028). Whether SQLite accepts
/// the expression is checked with the rest of the schema's SQL (Sql/MigrateFromCheck).
/// </summary>
[RequiresUnreferencedCode(SchemaReflector.Why)]
internal static class MigrateFromRules
{
    /// <summary>The expression of <paramref name="prop"/>'s [MigrateFrom], or null (none, or an error added).</summary>
    public static string? Read(Type type, PropertyInfo prop, int columns, string? renamedFrom, List<SchemaError> errors)
    {
        if (RecordShape.MemberAttribute<MigrateFromAttribute>(prop) is not { } attribute) return null;
        string? why = null;
        if (string.IsNullOrWhiteSpace(attribute.Expression))
            why = "has no expression. Write the SQL over the old table's columns that fills the new column, for example [MigrateFrom(\"first_name || ' ' || last_name\")], or remove it";
        else if (renamedFrom is not null)
            // A renamed column copies its old values; an expression would compute others. Both cannot hold.
            why = $"is beside [RenamedFrom(\"{renamedFrom}\")]: a renamed column copies the old column's values, a computed one gets the expression's. Keep one of them";
        else if (columns != 1)
            why = $"is on a property that becomes {columns} columns (a reference to a record with a composite key); one expression fills one column. Compute a one-column property instead";
        if (why is null) return attribute.Expression;
        errors.Add(new SchemaError(MigCode.InvalidMigrateFrom, $"[MigrateFrom] on {type.Name}.{prop.Name} {why}.",
            Type: type.FullName, Member: prop.Name));
        return null;
    }
}
