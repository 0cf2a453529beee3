namespace Mig;

/// <summary><c>UpdateBy&lt;Props&gt;Async</c>: updates the other columns of matching rows.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class UpdateByAttribute(params string[] properties) : QueryAttribute(properties);
