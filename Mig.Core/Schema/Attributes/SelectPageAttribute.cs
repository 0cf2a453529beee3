namespace Mig;

/// <summary>
/// <c>SelectPageBy&lt;Prop&gt;Async(txn, after, limit)</c>: keyset paging, the rows after <c>after</c> in key
/// order (null: from the start), at most <c>limit</c> of them. The key is the primary key or a
/// one-column <see cref="UniqueAttribute"/>; <see cref="QueryAttribute.OrderBy"/> may only give its
/// direction (<c>"Id DESC"</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class SelectPageAttribute(string property) : QueryAttribute([property]);
