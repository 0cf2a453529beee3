namespace Mig.Schema;

/// <summary>A secondary index.</summary>
internal sealed record IndexModel(string Name, IReadOnlyList<string> Columns)
{
    /// <summary>A unique index (a [Unique] with a Where).</summary>
    public bool Unique { get; init; }

    /// <summary>The partial index's condition, SQL; null for a full index.</summary>
    public string? Where { get; init; }
}
