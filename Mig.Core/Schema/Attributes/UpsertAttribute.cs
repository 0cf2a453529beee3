namespace Mig;

/// <summary><c>UpsertAsync</c>: insert, or update on a primary key conflict.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false)]
public sealed class UpsertAttribute() : QueryAttribute([]);
