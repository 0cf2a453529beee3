namespace Mig.Schema;

/// <summary>A secondary index.</summary>
internal sealed record IndexModel(string Name, IReadOnlyList<string> Columns);
