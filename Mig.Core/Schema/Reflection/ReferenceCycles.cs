using System.Diagnostics.CodeAnalysis;
using static Mig.Schema.RecordShape;

namespace Mig.Schema;

/// <summary>
/// Reports cycles of record-typed references: reads embed the referenced record, so
/// a cycle would never end. Each cycle is reported once, whichever table it is met from.
/// </summary>
[RequiresUnreferencedCode(SchemaReflector.Why)]
internal static class ReferenceCycles
{
    /// <summary>Reports every cycle; true when the schema has no error so far.</summary>
    public static bool Check(ReflectedSchema schema)
    {
        var tables = schema.Tables;
        var state = new Dictionary<Type, int>();
        var stack = new List<Type>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tables.Keys.OrderBy(t => t.FullName, StringComparer.Ordinal)) Visit(t);
        return schema.Errors.Count == 0;

        void Visit(Type t)
        {
            if (state.TryGetValue(t, out var s))
            {
                if (s == 1)
                {
                    var cycle = stack.Skip(stack.IndexOf(t)).Append(t).Select(x => x.Name).ToList();
                    var key = string.Join(",", cycle.Skip(1).Order(StringComparer.Ordinal));
                    if (reported.Add(key))
                        schema.Errors.Add(new(MigCode.ReferenceCycle,
                            $"Record-typed references form a cycle: {string.Join(" -> ", cycle)}. Reads embed referenced records, so the chain must end; use [References(typeof(...))] on a key-typed property (e.g. long? ManagerId) to close the cycle.",
                            Type: t.FullName));
                }
                return;
            }
            state[t] = 1;
            stack.Add(t);
            foreach (var p in tables[t].Properties)
            {
                var target = Unwrap(p.PropertyType);
                if (tables.ContainsKey(target)) Visit(target);
            }
            stack.RemoveAt(stack.Count - 1);
            state[t] = 2;
        }
    }
}
