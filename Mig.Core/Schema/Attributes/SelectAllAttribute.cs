namespace Mig;

/// <summary><c>SelectAllAsync</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class SelectAllAttribute() : QueryAttribute([]);
