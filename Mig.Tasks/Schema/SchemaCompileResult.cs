using Mig.Schema;

namespace Mig.Tasks.Schema;

/// <summary>The compiled schema: its model and hash, or the diagnostics that stopped it.</summary>
internal sealed record SchemaCompileResult(SchemaModel? Model, string? Hash, byte[]? Assembly, IReadOnlyList<MigDiagnostic> Diagnostics)
{
    public bool Succeeded => Model is not null && !Diagnostics.Any(d => d.IsError);
}
