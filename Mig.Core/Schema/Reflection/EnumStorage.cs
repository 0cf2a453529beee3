using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using static Mig.Schema.RecordShape;

namespace Mig.Schema;

/// <summary>
/// How an enum property is stored (docs/dsl.md, Enums stored by name): as its integer, or with
/// [StoreAsText] on the enum type or the property as its member's name in a TEXT column whose
/// CHECK allows only the names. Registers every enum it sees in the schema's enum list.
/// </summary>
[RequiresUnreferencedCode(SchemaReflector.Why)]
internal static class EnumStorage
{
    /// <summary>
    /// The kind of a property whose (unwrapped) type maps to <paramref name="kind"/>: <see cref="ValueKind.EnumName"/>
    /// for an enum marked [StoreAsText]; null after reporting a [StoreAsText] that cannot apply.
    /// </summary>
    public static ValueKind? KindOf(ReflectedSchema schema, Type owner, PropertyInfo prop, Type type, ValueKind kind, bool reportErrors)
    {
        var onProperty = MemberAttribute<StoreAsTextAttribute>(prop) is not null;
        if (!type.IsEnum)
        {
            if (onProperty && reportErrors)
                schema.Errors.Add(new(MigCode.InvalidStoreAsText,
                    $"[StoreAsText] on {owner.Name}.{prop.Name}, which is a {FriendlyName(prop.PropertyType)}, not an enum. Remove it; only an enum has names to store.",
                    Type: owner.FullName, Member: prop.Name, Attribute: "StoreAsText"));
            return onProperty ? null : kind;
        }
        Register(schema, type);
        if (!onProperty && !type.IsDefined(typeof(StoreAsTextAttribute), false)) return kind;
        if (type.IsDefined(typeof(FlagsAttribute), false))
        {
            if (reportErrors)
                schema.Errors.Add(new(MigCode.FlagsStoredAsText,
                    $"{owner.Name}.{prop.Name} stores the [Flags] enum {type.Name} by name ([StoreAsText]), but a combination of flags has no single name. Store it as its integer (remove [StoreAsText]), or make {type.Name} a plain enum.",
                    Type: owner.FullName, Member: prop.Name, Attribute: onProperty ? "StoreAsText" : null));
            return null;
        }
        return ValueKind.EnumName;
    }

    /// <summary>Whether an enum property is stored by name: [StoreAsText] on its enum type or on it.</summary>
    public static bool ByName(PropertyInfo prop, Type type) =>
        type.IsEnum && (type.IsDefined(typeof(StoreAsTextAttribute), false) || MemberAttribute<StoreAsTextAttribute>(prop) is not null);

    /// <summary>The CHECK of a name column: its value is one of the enum's names (NULL passes, as for any CHECK).</summary>
    public static string Check(string column, EnumModel e) =>
        $"{SqlIdentifier.Quote(column)} IN ({string.Join(", ", e.Members.Select(m => Text(m.Name)))})";

    /// <summary>A SQL text literal.</summary>
    public static string Text(string s) => EnumModel.Text(s);

    /// <summary>
    /// MIG0027 unless a [Default] of a name column is one of the enum's names as a SQL text literal
    /// (<c>"'Red'"</c>): the column stores names, and its CHECK would refuse any other default.
    /// </summary>
    public static SchemaError? CheckDefault(Type owner, string property, string literal, EnumModel e)
    {
        if (e.Members.Any(m => Text(m.Name) == literal.Trim())) return null;
        var example = e.Members.Count > 0 ? $"[Default(nameof({property}), \"{Text(e.Members[0].Name)}\")]" : "no default";
        return new(MigCode.InvalidStoreAsText,
            $"[Default] of {owner.Name}.{property} is {literal}, but the column stores the names of {ShortName(e.ClrType)} ([StoreAsText]). Give one of its names as SQL text, e.g. {example}.",
            Type: owner.FullName, Attribute: "Default", Argument: property);
    }

    /// <summary>The stored name of a boxed enum value for a seed row, or its number when it has no name (the CHECK then refuses the row).</summary>
    public static string Name(EnumModel e, object value)
    {
        var v = Value(value);
        return e.Canonical.FirstOrDefault(m => m.Value == v)?.Name ?? v.ToString(CultureInfo.InvariantCulture);
    }

    private static void Register(ReflectedSchema schema, Type type)
    {
        var name = type.FullName ?? type.Name;
        if (schema.Enums.ContainsKey(name)) return;
        // Declaration order: what the CHECK lists and which alias of a value is written.
        var members = type.GetFields(BindingFlags.Public | BindingFlags.Static).OrderBy(f => f.MetadataToken)
            .Select(f => new EnumMember(f.Name, Value(f.GetValue(null)!))).ToList();
        schema.Enums[name] = new EnumModel(name, members);
    }

    // As generated code stores it: (long)value, unchecked for an enum over ulong.
    private static long Value(object value) =>
        Enum.GetUnderlyingType(value.GetType()) == typeof(ulong) ? unchecked((long)Convert.ToUInt64(value, CultureInfo.InvariantCulture)) : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static string ShortName(string clrType) => clrType[(clrType.LastIndexOfAny(['.', '+']) + 1)..];
}
