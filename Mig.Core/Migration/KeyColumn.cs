namespace Mig.Migration;

/// <summary>A column of a unique index and the collation the index compares it with.</summary>
internal sealed record KeyColumn(string Name, string Collation);
