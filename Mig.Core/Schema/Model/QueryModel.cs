namespace Mig.Schema;

/// <summary>One query attribute: its kind, the properties it names, and its ordering in property names.</summary>
internal sealed record QueryModel(QueryKind Kind, IReadOnlyList<string> Properties, string? OrderBy);
