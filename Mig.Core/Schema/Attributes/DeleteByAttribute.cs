namespace Mig;

/// <summary><c>DeleteBy&lt;Props&gt;Async</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class DeleteByAttribute(params string[] properties) : QueryAttribute(properties);
