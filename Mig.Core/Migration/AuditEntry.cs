namespace Mig.Migration;

/// <summary>One row of the audit trail.</summary>
internal sealed record AuditEntry(string At, string Operation, string SchemaHash, string Result, string Detail);
