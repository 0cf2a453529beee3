namespace Mig.Schema;

/// <summary>What happens to referencing rows when the referenced row is deleted.</summary>
internal enum OnDelete
{
    /// <summary>No action (SQLite's default).</summary>
    NoAction,
    /// <summary>ON DELETE CASCADE.</summary>
    Cascade,
    /// <summary>ON DELETE SET NULL.</summary>
    SetNull,
}
