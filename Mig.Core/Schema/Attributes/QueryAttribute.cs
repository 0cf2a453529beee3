namespace Mig;

// Query attributes: each adds one generated method (docs/dsl.md, Generated queries).
// They do not change the database, so they do not change the schema hash.

/// <summary>Base of the query attributes; <see cref="OrderBy"/> uses property names (<c>"Name DESC, Age"</c>).</summary>
public abstract class QueryAttribute(string[] properties) : Attribute
{
    /// <summary>The properties the query filters or matches on.</summary>
    public string[] Properties { get; } = properties;
    /// <summary>Optional ordering, in property names.</summary>
    public string? OrderBy { get; set; }
}
