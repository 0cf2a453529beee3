namespace Mig;

/// <summary><c>SelectBy&lt;Props&gt;OrInsertAsync</c>: the stored row, inserted first when absent.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class SelectByOrInsertAttribute(params string[] properties) : QueryAttribute(properties);
