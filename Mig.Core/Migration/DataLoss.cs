namespace Mig.Migration;

/// <summary>Data the migration would not carry over: a dropped table or column with data, or values a conversion changes.</summary>
/// <param name="Table">The old table.</param>
/// <param name="Column">The old column, or null for a whole table.</param>
/// <param name="Rows">How many rows lose data.</param>
/// <param name="What">What is lost, in words, with sample keys for conversions.</param>
internal sealed record DataLoss(string Table, string? Column, long Rows, string What);
