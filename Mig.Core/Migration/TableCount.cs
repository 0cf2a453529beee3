namespace Mig.Migration;

/// <summary>Row counts of one table in both files.</summary>
internal sealed record TableCount(string Table, long? OldRows, long? NewRows);
