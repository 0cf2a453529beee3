namespace Mig;

/// <summary><c>CountBy&lt;Props&gt;Async</c>: how many rows match all the properties (every table and view also gets <c>CountAsync</c>).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class CountByAttribute(params string[] properties) : QueryAttribute(properties);
