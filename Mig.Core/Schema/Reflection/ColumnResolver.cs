using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using static Mig.Schema.RecordShape;

namespace Mig.Schema;

/// <summary>
/// The columns a property becomes and the key columns of a table, resolved through
/// references (a reference becomes one column per key column of the table it references).
/// Keys are resolved once per table and remembered.
/// </summary>
[RequiresUnreferencedCode(SchemaReflector.Why)]
internal sealed class ColumnResolver(ReflectedSchema schema)
{
    private readonly Dictionary<Type, List<PropertyColumn>?> keys = [];
    private readonly HashSet<Type> resolvingKeys = [];

    /// <summary>The key columns of a table (null when it has none), resolved through references.</summary>
    public List<PropertyColumn>? KeyOf(Type type)
    {
        if (keys.TryGetValue(type, out var known)) return known;
        if (!resolvingKeys.Add(type)) return null; // cycle already reported
        var table = schema.Tables[type];
        List<PropertyColumn>? result = null;
        var pk = type.GetCustomAttribute<PKAttribute>();
        var auto = type.GetCustomAttribute<AutoIncPKAttribute>();
        if (pk is not null && auto is not null)
            schema.Errors.Add(new(MigCode.InvalidKey, $"{type.Name} has both [PK] and [AutoIncPK]; keep one.", Type: type.FullName, Attribute: "AutoIncPK"));
        string[]? keyProps = auto is not null ? [auto.Property] : pk?.Properties;
        if (table.Union is not null && keyProps is null)
            keyProps = [table.Properties[0].Name]; // an extension row is keyed by the row it extends
        if (keyProps is { Length: 0 })
            schema.Errors.Add(new(MigCode.InvalidAttribute, $"[PK] on {type.Name} names no property.", Type: type.FullName, Attribute: "PK"));
        if (keyProps is { Length: > 0 })
        {
            result = KeyColumns(table, keyProps, auto is not null ? "AutoIncPK" : "PK");
            if (auto is not null && result is not null && (result.Count != 1 || result[0].Type != SqlType.Integer || result[0].Path.Length != 1))
            {
                schema.Errors.Add(new(MigCode.InvalidKey,
                    $"[AutoIncPK] on {type.Name}.{auto.Property} needs an integer property (long or int); use [PK] for other key types.",
                    Type: type.FullName, Member: auto.Property, Attribute: "AutoIncPK", Argument: auto.Property));
                result = null;
            }
        }
        resolvingKeys.Remove(type);
        keys[type] = result;
        return result;
    }

    private List<PropertyColumn>? KeyColumns(TableInfo table, string[] keyProps, string attribute)
    {
        var result = new List<PropertyColumn>();
        foreach (var name in keyProps)
        {
            var prop = table.Properties.FirstOrDefault(p => p.Name == name);
            if (prop is null)
            {
                schema.Errors.Add(ReflectedSchema.MissingProperty(table.Type, attribute, name));
                return null;
            }
            var cols = ColumnsOf(table, prop, reportErrors: false);
            if (cols is null) return null;
            result.AddRange(cols);
        }
        return result;
    }

    /// <summary>The columns one property becomes: one for a value, one per key column for a reference.</summary>
    public List<PropertyColumn>? ColumnsOf(TableInfo table, PropertyInfo prop, bool reportErrors)
    {
        var name = MemberAttribute<ColumnAttribute>(prop)?.Name ?? Naming.ToSnakeCase(prop.Name);
        var type = Unwrap(prop.PropertyType);
        if (schema.Tables.ContainsKey(type))
        {
            var key = KeyOf(type);
            if (key is null)
            {
                if (reportErrors)
                    schema.Errors.Add(new(MigCode.ReferenceWithoutKey,
                        $"{table.Type.Name}.{prop.Name} references {type.Name}, which has no primary key. Add [PK(...)] or [AutoIncPK(...)] to {type.Name}.",
                        Type: table.Type.FullName, Member: prop.Name));
                return null;
            }
            return [.. key.Select(k => new PropertyColumn(name + "_" + k.Name, k.Type, k.Kind, k.ClrType, [prop, .. k.Path], k.Name))];
        }
        var kind = TypeMapping.KindOf(type);
        if (kind is null)
        {
            if (reportErrors)
                schema.Errors.Add(new(MigCode.UnsupportedType,
                    $"{table.Type.Name}.{prop.Name} has type {FriendlyName(prop.PropertyType)}, which Mig cannot store. Use a scalar type (long, string, decimal, DateTime, Guid, byte[], an enum...), a table record, or move the collection into its own table.",
                    Type: table.Type.FullName, Member: prop.Name));
            return null;
        }
        var stored = EnumStorage.KindOf(schema, table.Type, prop, type, kind.Value, reportErrors);
        if (stored is null) return null;
        return [new PropertyColumn(name, TypeMapping.StorageType(stored.Value), stored.Value, type.FullName ?? type.Name, [prop], null)];
    }
}
