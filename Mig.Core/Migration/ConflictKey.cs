namespace Mig.Migration;

/// <summary>
/// A unique index over plain columns of an old table: where a REPLACE may delete another row
/// without firing its delete trigger.
/// </summary>
/// <param name="Columns">The indexed columns with their collations.</param>
/// <param name="Partial">
/// A partial index (<c>WHERE ...</c>): a row enters it when a column of its condition changes,
/// not only its key, so an update may conflict though the key stayed the same.
/// </param>
internal sealed record ConflictKey(IReadOnlyList<KeyColumn> Columns, bool Partial)
{
    /// <summary>The unique index's name (its condition, for a partial one, is in its SQL).</summary>
    public string Index { get; init; } = "";
}
