namespace Mig.Schema;

/// <summary>
/// Orders tables parents first, so creation, seeds and copies can follow it.
/// Deterministic (ties by name) because the order is part of the canonical
/// script the schema hash is computed from. Cycles (only [References] can close
/// one) are broken at the alphabetically first waiting table that no longer waits
/// for a record-typed parent: embedded references never form a cycle, so such a
/// table exists, and breaking anywhere else would put a child before the parent
/// it embeds.
/// </summary>
internal static class ForeignKeyOrder
{
    /// <summary>The tables, each after every table it references.</summary>
    public static IReadOnlyList<TableModel> Sort(IEnumerable<TableModel> tables)
    {
        var byName = tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var waiting = new SortedDictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var embedded = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var t in byName.Values)
        {
            waiting[t.Name] = [.. t.ForeignKeys.Select(f => f.ReferencedTable).Where(r => r != t.Name && byName.ContainsKey(r))];
            embedded[t.Name] = [.. t.ForeignKeys.Where(f => f.Embedded).Select(f => f.ReferencedTable)];
        }
        var result = new List<TableModel>();
        while (waiting.Count > 0)
        {
            var next = waiting.FirstOrDefault(w => w.Value.Count == 0).Key
                       ?? waiting.FirstOrDefault(w => !w.Value.Overlaps(embedded[w.Key])).Key
                       ?? waiting.First().Key;
            waiting.Remove(next);
            foreach (var deps in waiting.Values) deps.Remove(next);
            result.Add(byName[next]);
        }
        return result;
    }
}
