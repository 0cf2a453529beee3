namespace Mig;

/// <summary><c>SelectOneBy&lt;Props&gt;Async</c>: the first matching row or null.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class SelectOneByAttribute(params string[] properties) : QueryAttribute(properties);
