namespace Mig.Schema;

/// <summary>SQLite storage class of a column.</summary>
internal enum SqlType
{
    /// <summary>INTEGER.</summary>
    Integer,
    /// <summary>TEXT.</summary>
    Text,
    /// <summary>REAL.</summary>
    Real,
    /// <summary>BLOB.</summary>
    Blob,
}
