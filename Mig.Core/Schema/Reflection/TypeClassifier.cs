using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using static Mig.Schema.RecordShape;

namespace Mig.Schema;

/// <summary>
/// Sorts the types of a schema into tables (added to <see cref="ReflectedSchema.Tables"/>),
/// views and seed holders; anything else is ignored.
/// </summary>
[RequiresUnreferencedCode(SchemaReflector.Why)]
internal sealed class TypeClassifier(ReflectedSchema schema)
{
    /// <summary>View records, in the order classified.</summary>
    public List<Type> Views { get; } = [];

    /// <summary>Static classes whose members may hold seed rows, in the order classified.</summary>
    public List<Type> SeedHolders { get; } = [];

    public void Classify(Type type)
    {
        if (type.IsAbstract && type.IsSealed && type.IsClass) { SeedHolders.Add(type); return; }
        if (!IsRecord(type)) return;
        if (type.IsAbstract)
        {
            // A union: each nested sealed record deriving from it is an extension table of
            // the table its first positional parameter references.
            foreach (var nested in type.GetNestedTypes(BindingFlags.Public).Where(n => n.IsSubclassOf(type) && !n.IsAbstract))
                AddExtensionCase(type, nested);
            return;
        }
        if (type.BaseType is { IsAbstract: true } b && IsRecord(b) && type.DeclaringType == b) return; // handled with its union
        if (type.GetCustomAttribute<ViewAttribute>() is not null || type.GetCustomAttribute<ViewSqlAttribute>() is not null)
        {
            Views.Add(type);
            return;
        }
        if (type.GetCustomAttributes<JoinAttribute>().Any())
            schema.Errors.Add(new(MigCode.InvalidView, $"{type.Name} has [Join] but no [View]; add [View] to make it a view.", Type: type.FullName, Attribute: "Join"));
        var name = type.GetCustomAttribute<TableAttribute>()?.Name ?? Naming.ToSnakeCase(type.Name);
        schema.Tables[type] = new TableInfo(type, name, null);
    }

    private void AddExtensionCase(Type union, Type nested)
    {
        var first = PrimaryConstructor(nested)?.GetParameters().FirstOrDefault();
        var firstType = first is null ? null : Nullable.GetUnderlyingType(first.ParameterType) ?? first.ParameterType;
        if (firstType is null || !IsRecord(firstType) || firstType.IsAbstract)
        {
            schema.Errors.Add(new(MigCode.InvalidKey,
                $"Extension case {union.Name}.{nested.Name} must take the table it extends as its first positional parameter, e.g. record {nested.Name}(Student Student, ...).",
                Type: nested.FullName));
            return;
        }
        var baseName = firstType.GetCustomAttribute<TableAttribute>()?.Name ?? Naming.ToSnakeCase(firstType.Name);
        var name = nested.GetCustomAttribute<TableAttribute>()?.Name ?? Naming.ExtensionTable(baseName, nested.Name);
        schema.Tables[nested] = new TableInfo(nested, name, union);
    }
}
