namespace Mig.Schema;

/// <summary>A view column and, for synthesised views, the table column it resolved to.</summary>
internal sealed record ViewColumnModel(string Name, string Property, SqlType Type, ValueKind Kind, string ClrType, bool NotNull, string? SourceTable, string? SourceColumn);
