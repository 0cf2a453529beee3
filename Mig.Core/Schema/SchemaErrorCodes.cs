namespace Mig.Schema;

/// <summary>The stable error codes of schema problems. The README lists them.</summary>
internal static class SchemaErrorCodes
{
    /// <summary>An attribute names a property the record does not have.</summary>
    public const string MissingProperty = "MIG0001";
    /// <summary>A property's C# type has no column mapping.</summary>
    public const string UnsupportedType = "MIG0002";
    /// <summary>A reference to a type that has no primary key.</summary>
    public const string ReferenceWithoutKey = "MIG0003";
    /// <summary>A foreign key that cannot be expressed (composite key behind a single column, type mismatch, not a table).</summary>
    public const string InexpressibleForeignKey = "MIG0004";
    /// <summary>Record-typed references form a cycle.</summary>
    public const string ReferenceCycle = "MIG0005";
    /// <summary>Two tables, views or indexes share a name, one takes a name Mig reserves, or a column is named rowid (it would hide the rowid).</summary>
    public const string DuplicateName = "MIG0006";
    /// <summary>A view property matches no column of the joined tables.</summary>
    public const string UnresolvedViewColumn = "MIG0007";
    /// <summary>A view property matches columns of several joined tables.</summary>
    public const string AmbiguousViewColumn = "MIG0008";
    /// <summary>A join between two tables that no single foreign key connects.</summary>
    public const string JoinWithoutForeignKey = "MIG0009";
    /// <summary>A [ViewSql] whose columns do not match the record.</summary>
    public const string ViewSqlMismatch = "MIG0010";
    /// <summary>An invalid key declaration (AutoIncPK on a non-integer, two key attributes, a key on a view).</summary>
    public const string InvalidKey = "MIG0011";
    /// <summary>OnDeleteSetNull on a non-nullable reference, or a delete action on a non-reference.</summary>
    public const string InvalidDeleteAction = "MIG0012";
    /// <summary>Seed rows for a table without a primary key, or seed code that failed.</summary>
    public const string InvalidSeed = "MIG0013";
    /// <summary>The schema files do not compile.</summary>
    public const string CompileError = "MIG0014";
    /// <summary>SQLite rejects the SQL the schema becomes (a bad default or view).</summary>
    public const string SqlRejected = "MIG0015";
    /// <summary>A query attribute that cannot apply (a write on a view, an upsert without a key, LIKE on a non-string).</summary>
    public const string InvalidQuery = "MIG0016";
    /// <summary>A view declaration problem: [Join] without [View], no joins, a join that does not connect.</summary>
    public const string InvalidView = "MIG0017";
    /// <summary>An attribute argument that is empty or malformed (OrderBy, no properties).</summary>
    public const string InvalidAttribute = "MIG0018";
    /// <summary>A generated method name that a member of the record already has, or that two attributes both produce.</summary>
    public const string QueryNameCollision = "MIG0020";
    /// <summary>A table or view record without properties: it would have no columns.</summary>
    public const string NoColumns = "MIG0021";
    /// <summary>A generated query statement that SQLite cannot prepare against the schema (found at build time, never at run time).</summary>
    public const string GeneratedSqlRejected = "MIG0022";
}
