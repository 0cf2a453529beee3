using Mig.Schema;
using static Mig.CodeGen.QueryEmitter;

namespace Mig.CodeGen;

/// <summary>
/// The file-local helper that writes and reads enums stored by name ([StoreAsText]): one switch
/// per enum each way, so generated code needs no reflection (AOT and trimming safe) and no
/// <c>Enum.ToString</c>. A value without a member cannot be written, and a name read back that the
/// enum no longer has is a clear error rather than a silent default.
/// </summary>
internal static class EnumNamesEmitter
{
    /// <summary>The helper's class, as generated code calls it.</summary>
    public const string Class = "global::Mig.Generated.EnumNames";

    /// <summary>Writes the helper, if any column stores an enum by name.</summary>
    public static void Emit(CodeWriter w, SchemaModel model)
    {
        var byName = model.Tables.SelectMany(t => t.Columns).Where(c => c.Kind == ValueKind.EnumName).Select(c => c.ClrType)
            .Concat(model.Views.SelectMany(v => v.Columns).Where(c => c.Kind == ValueKind.EnumName).Select(c => c.ClrType))
            .ToHashSet(StringComparer.Ordinal);
        var enums = model.Enums.Where(e => byName.Contains(e.ClrType)).ToList();
        if (enums.Count == 0) return;
        w.Line();
        w.Open("namespace Mig.Generated");
        w.Line("/// <summary>The names of the enums stored by name ([StoreAsText]): a switch each way, no reflection.</summary>");
        w.Open("file static class EnumNames");
        var first = true;
        foreach (var e in enums)
        {
            if (!first) w.Line();
            first = false;
            EmitEnum(w, e);
        }
        w.Close();
        w.Close();
    }

    private static void EmitEnum(CodeWriter w, EnumModel e)
    {
        var type = TypeName(e.ClrType);
        var shortName = e.ClrType[(e.ClrType.LastIndexOfAny(['.', '+']) + 1)..];
        w.Open($"public static string Name({type} v) => v switch");
        foreach (var m in e.Canonical) w.Line($"{type}.{Member(m.Name)} => {Literal(m.Name)},");
        w.Line($"_ => throw new global::System.ArgumentOutOfRangeException(nameof(v), v, {Literal($"{shortName} has no member with this value, so it has no name to store ([StoreAsText]).")}),");
        w.Close(";");
        w.Line();
        w.Line($"public static string? Name({type}? v) => v.HasValue ? Name(v.Value) : null;");
        w.Line();
        // The second parameter only picks the overload: one Read per enum, by its type.
        w.Open($"public static {type} Read(string s, {type} _) => s switch");
        foreach (var m in e.Members) w.Line($"{Literal(m.Name)} => {type}.{Member(m.Name)},");
        w.Line($"_ => throw new global::System.IO.InvalidDataException({Literal($"The database holds a name that {shortName} does not have: '")} + s + {Literal($"'. Add the member back to {shortName}, or correct the rows that hold it.")}),");
        w.Close(";");
    }
}
