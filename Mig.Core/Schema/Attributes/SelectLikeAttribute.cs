namespace Mig;

/// <summary><c>Select&lt;Prop&gt;LikeAsync</c>: rows whose text column contains the argument.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class SelectLikeAttribute(string property) : QueryAttribute([property]);
