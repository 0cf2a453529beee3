namespace Mig;

/// <summary><c>SelectBy&lt;Props&gt;Async</c>: rows matching all the properties.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class SelectByAttribute(params string[] properties) : QueryAttribute(properties);
