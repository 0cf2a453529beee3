using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Mig.Schema;

/// <summary>
/// Reads seed rows from the public static members of a seed holder: a member of a
/// table's record type, or a collection of them, seeds that table. Runs the getters.
/// </summary>
[RequiresUnreferencedCode(SchemaReflector.Why)]
internal sealed class SeedBuilder(ReflectedSchema schema, ColumnResolver resolver)
{
    private List<SchemaError> Errors => schema.Errors;

    /// <summary>The seeds of one holder, in member order; a member that fails is reported.</summary>
    public IEnumerable<SeedModel> Build(Type holder, IReadOnlyList<TableModel> tableModels)
    {
        var byType = tableModels.ToDictionary(t => t.ClrType, StringComparer.Ordinal);
        foreach (var (member, memberType, get) in Members(holder))
        {
            var rowType = SeedRowType(memberType, byType);
            if (rowType is null) continue;
            var table = byType[rowType.FullName!];
            var source = holder.FullName + "." + member.Name;
            if (table.PrimaryKey.Count == 0)
            {
                Errors.Add(new(MigCode.InvalidSeed,
                    $"Seed {source} fills {table.Name}, which has no primary key; seeds are upserts by key. Add [PK(...)] to {rowType.Name} or remove the seed.",
                    Type: holder.FullName, Member: member.Name));
                continue;
            }
            object? value;
            try { value = get(); }
            catch (TargetInvocationException e)
            {
                var inner = e.InnerException is TypeInitializationException { InnerException: { } ti } ? ti : e.InnerException ?? e;
                Errors.Add(new(MigCode.InvalidSeed, $"Seed {source} threw {inner.GetType().Name}: {inner.Message}", Type: holder.FullName, Member: member.Name));
                continue;
            }
            List<object?> rows = value switch
            {
                null => [],
                System.Collections.IEnumerable list when value.GetType() != rowType => list.Cast<object?>().ToList(),
                _ => [value],
            };
            var info = schema.Tables[rowType];
            var converted = new List<IReadOnlyList<object?>>();
            foreach (var row in rows)
            {
                if (row is null)
                {
                    Errors.Add(new(MigCode.InvalidSeed, $"Seed {source} contains a null row.", Type: holder.FullName, Member: member.Name));
                    break;
                }
                converted.Add(RowValues(info, table, row));
            }
            yield return new SeedModel(table.Name, source, [.. table.Columns.Select(c => c.Name)], converted);
        }
    }

    /// <summary>The public static fields and readable properties of a holder, in declaration order.</summary>
    private static IEnumerable<(MemberInfo Member, Type Type, Func<object?> Get)> Members(Type holder) =>
        holder.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (Member: (MemberInfo)f, Type: f.FieldType, Get: (Func<object?>)(() => f.GetValue(null))))
            .Concat(holder.GetProperties(BindingFlags.Public | BindingFlags.Static).Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0)
                .Select(p => (Member: (MemberInfo)p, Type: p.PropertyType, Get: (Func<object?>)(() => p.GetValue(null)))))
            .OrderBy(m => m.Member.MetadataToken);

    private Type? SeedRowType(Type memberType, Dictionary<string, TableModel> byType)
    {
        if (byType.ContainsKey(memberType.FullName ?? "")) return memberType;
        var element = memberType.IsArray ? memberType.GetElementType()
            : memberType.GetInterfaces().Append(memberType)
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        return element is not null && schema.Tables.ContainsKey(element) && byType.ContainsKey(element.FullName!) ? element : null;
    }

    private List<object?> RowValues(TableInfo info, TableModel table, object row)
    {
        var values = new List<object?>(table.Columns.Count);
        foreach (var prop in info.Properties)
        {
            var cols = resolver.ColumnsOf(info, prop, reportErrors: false)!;
            var raw = prop.GetValue(row);
            foreach (var c in cols)
            {
                // Walk the reference chain to the key value: Course.Student.Id.
                object? v = raw;
                foreach (var step in c.Path.Skip(1))
                    v = v is null ? null : step.GetValue(v);
                values.Add(c.Kind == ValueKind.EnumName && v is not null ? EnumStorage.Name(schema.Enums[c.ClrType], v) : StorageFormat.ToStorage(v));
            }
        }
        return values;
    }
}
