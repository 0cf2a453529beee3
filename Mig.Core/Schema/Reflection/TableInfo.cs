using System.Reflection;

namespace Mig.Schema;

/// <summary>A record the reflector found to be a table, with the properties that become its columns.</summary>
internal sealed class TableInfo(Type type, string name, Type? union)
{
    public Type Type { get; } = type;
    public string Name { get; } = name;
    /// <summary>For an extension case: the union it belongs to.</summary>
    public Type? Union { get; } = union;
    public List<PropertyInfo> Properties { get; } = [];
}
