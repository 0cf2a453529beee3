namespace Mig;

/// <summary><c>InsertOrIgnoreAsync</c>: <c>INSERT OR IGNORE</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false)]
public sealed class InsertOrIgnoreAttribute() : QueryAttribute([]);
