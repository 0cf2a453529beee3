namespace Mig.Migration;

/// <summary>What verification found for one table.</summary>
internal sealed record TableCheck(string Table, long OldRows, long NewRows, long Missing, long Different, IReadOnlyList<string> Columns);
