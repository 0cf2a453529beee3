using Mig.Schema;

namespace Mig.Migration;

/// <summary>One column of a new table and where its values come from.</summary>
/// <param name="Column">The new column.</param>
/// <param name="Source">The old column it is copied from, or null for a new column.</param>
/// <param name="Fill">How it is filled.</param>
/// <param name="Reason">Why: "same name", "[RenamedFrom(\"x\")]", "new column, [Default] 1", ...</param>
internal sealed record ColumnPlan(ColumnModel Column, string? Source, FillKind Fill, string Reason)
{
    /// <summary>The enum an <see cref="FillKind.EnumConvert"/> column converts by.</summary>
    public EnumModel? Enum { get; init; }
}
