using System.Reflection;

namespace Mig.Schema;

/// <summary>
/// What the builders of one reflection share: the tables found and the errors, in
/// the order they are found (the compiler reports them in that order).
/// </summary>
internal sealed class ReflectedSchema
{
    private readonly NullabilityInfoContext nullability = new();

    public List<SchemaError> Errors { get; } = [];

    public Dictionary<Type, TableInfo> Tables { get; } = [];

    /// <summary>The enums columns hold, by full C# name, for <see cref="SchemaModel.Enums"/>.</summary>
    public SortedDictionary<string, EnumModel> Enums { get; } = new(StringComparer.Ordinal);

    public bool IsNullable(PropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null
        || (!property.PropertyType.IsValueType && nullability.Create(property).ReadState == NullabilityState.Nullable);

    public static SchemaError MissingProperty(Type type, string attribute, string property) =>
        new(MigCode.MissingProperty,
            $"[{attribute}] on {type.Name} names '{property}', which is not a property of {type.Name}. Use nameof(...) of one of its properties.",
            Type: type.FullName, Attribute: attribute, Argument: property);
}
