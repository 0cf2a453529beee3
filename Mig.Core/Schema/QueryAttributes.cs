namespace Mig;

// Query attributes: each adds one generated method (dsl.md, Generated queries).
// They do not change the database, so they do not change the schema hash.

/// <summary>Base of the query attributes; <see cref="OrderBy"/> uses property names (<c>"Name DESC, Age"</c>).</summary>
public abstract class QueryAttribute(string[] properties) : Attribute
{
    /// <summary>The properties the query filters or matches on.</summary>
    public string[] Properties { get; } = properties;
    /// <summary>Optional ordering, in property names.</summary>
    public string? OrderBy { get; set; }
}

/// <summary><c>InsertOrIgnoreAsync</c>: <c>INSERT OR IGNORE</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false)]
public sealed class InsertOrIgnoreAttribute() : QueryAttribute([]);

/// <summary><c>SelectAllAsync</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class SelectAllAttribute() : QueryAttribute([]);

/// <summary><c>SelectBy&lt;Props&gt;Async</c>: rows matching all the properties.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class SelectByAttribute(params string[] properties) : QueryAttribute(properties);

/// <summary><c>SelectOneBy&lt;Props&gt;Async</c>: the first matching row or null.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class SelectOneByAttribute(params string[] properties) : QueryAttribute(properties);

/// <summary><c>Select&lt;Prop&gt;LikeAsync</c>: rows whose text column contains the argument.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class SelectLikeAttribute(string property) : QueryAttribute([property]);

/// <summary><c>SelectBy&lt;Props&gt;OrInsertAsync</c>: the stored row, inserted first when absent.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class SelectByOrInsertAttribute(params string[] properties) : QueryAttribute(properties);

/// <summary><c>UpdateBy&lt;Props&gt;Async</c>: updates the other columns of matching rows.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class UpdateByAttribute(params string[] properties) : QueryAttribute(properties);

/// <summary><c>DeleteBy&lt;Props&gt;Async</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true)]
public sealed class DeleteByAttribute(params string[] properties) : QueryAttribute(properties);

/// <summary><c>UpsertAsync</c>: insert, or update on a primary key conflict.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false)]
public sealed class UpsertAttribute() : QueryAttribute([]);
