namespace Mig.Schema;

/// <summary>One query attribute: its kind, the properties it names, and its ordering (empty when it has none).</summary>
internal sealed record QueryModel(QueryKind Kind, IReadOnlyList<string> Properties, IReadOnlyList<OrderTerm> OrderBy);
