using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text;

namespace Mig.Schema;

/// <summary>How a C# record is read: its primary constructor, the properties that are columns, attributes on either.</summary>
[RequiresUnreferencedCode(SchemaReflector.Why)]
internal static class RecordShape
{
    public static bool IsRecord(Type type) =>
        type.GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, [typeof(StringBuilder)]) is not null;

    public static ConstructorInfo? PrimaryConstructor(Type type)
    {
        var props = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        return type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .Where(c => c.GetParameters().Length > 0 && c.GetParameters().All(p => p.Name is not null && props.Contains(p.Name))
                        && !(c.GetParameters().Length == 1 && c.GetParameters()[0].ParameterType == type))
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault();
    }

    public static List<string> ConstructorProperties(Type type) =>
        PrimaryConstructor(type)?.GetParameters().Select(p => p.Name!).ToList() ?? [];

    /// <summary>
    /// Columns are the positional parameters, then other public settable properties.
    /// Get-only computed properties are not columns: reads could not set them.
    /// </summary>
    public static IEnumerable<PropertyInfo> MappedProperties(Type type)
    {
        var all = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToList();
        var byName = all.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var ctor = PrimaryConstructor(type);
        var positional = ctor?.GetParameters().Select(p => byName[p.Name!]).ToList() ?? [];
        var rest = all.Where(p => !positional.Contains(p) && p.SetMethod is { IsPublic: true })
                      .OrderBy(p => p.MetadataToken);
        return positional.Concat(rest);
    }

    /// <summary>An attribute on the property, or on the positional parameter it comes from.</summary>
    public static T? MemberAttribute<T>(PropertyInfo property) where T : Attribute
    {
        if (property.GetCustomAttribute<T>() is { } onProperty) return onProperty;
        var ctor = PrimaryConstructor(property.DeclaringType!);
        return ctor?.GetParameters().FirstOrDefault(p => p.Name == property.Name)?.GetCustomAttribute<T>();
    }

    /// <summary>Every attribute of a kind on the property and on the positional parameter it comes from.</summary>
    public static IEnumerable<T> MemberAttributes<T>(PropertyInfo property) where T : Attribute
    {
        var ctor = PrimaryConstructor(property.DeclaringType!);
        var parameter = ctor?.GetParameters().FirstOrDefault(p => p.Name == property.Name);
        return property.GetCustomAttributes<T>().Concat(parameter?.GetCustomAttributes<T>() ?? []);
    }

    public static Type Unwrap(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    /// <summary>A type as C# writes it, for messages: <c>List&lt;String&gt;</c>.</summary>
    public static string FriendlyName(Type t)
    {
        if (!t.IsGenericType) return t.Name;
        var n = t.Name[..t.Name.IndexOf('`', StringComparison.Ordinal)];
        return n + "<" + string.Join(", ", t.GetGenericArguments().Select(FriendlyName)) + ">";
    }

    /// <summary>The full C# name of a property's value type (the enum's name for enums).</summary>
    public static string ClrName(PropertyInfo p) => Unwrap(p.PropertyType).FullName ?? p.PropertyType.Name;
}
