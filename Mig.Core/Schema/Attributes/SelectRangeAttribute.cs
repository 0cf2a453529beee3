namespace Mig;

/// <summary><c>Select&lt;Prop&gt;BetweenAsync(txn, from, to)</c>: rows whose value lies between the two, both included, in its order.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class SelectRangeAttribute(string property) : QueryAttribute([property]);
