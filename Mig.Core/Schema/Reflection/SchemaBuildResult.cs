namespace Mig.Schema;

/// <summary>The model built from a schema, or the errors that stopped it.</summary>
internal sealed record SchemaBuildResult(SchemaModel? Model, IReadOnlyList<SchemaError> Errors)
{
    /// <summary>True when there is a model and no error.</summary>
    public bool Succeeded => Model is not null && Errors.Count == 0;
}
