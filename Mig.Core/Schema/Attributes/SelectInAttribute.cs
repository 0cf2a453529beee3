namespace Mig;

/// <summary><c>SelectBy&lt;Prop&gt;InAsync(txn, values)</c>: rows whose value is one of a list, in one statement whatever its length.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class SelectInAttribute(string property) : QueryAttribute([property]);
