namespace Mig.Migration;

/// <summary>A table as it is in an existing database file.</summary>
internal sealed record OldTable(string Name, IReadOnlyList<OldColumn> Columns, IReadOnlyList<string> PrimaryKey, bool WithoutRowId, long RowCount)
{
    /// <summary>Column sets the old file keeps unique: the primary key and each full (not partial) unique index over plain columns.</summary>
    public IReadOnlyList<IReadOnlyList<string>> UniqueKeys { get; init; } = [];

    /// <summary>What SQLite says the table is: 'table', 'virtual' (a module such as FTS5) or 'shadow' (a virtual table's storage).</summary>
    public string Kind { get; init; } = "table";

    /// <summary>
    /// The column that is the table's rowid (an INTEGER PRIMARY KEY that SQLite made an alias), or null.
    /// Read from SQLite, not from the declaration's text: <c>INTEGER PRIMARY KEY DESC</c> as a column
    /// constraint is not an alias, while <c>PRIMARY KEY (x DESC)</c> as a table constraint is.
    /// </summary>
    public string? RowIdAlias { get; init; }

    /// <summary>
    /// Every unique index over plain columns (the primary key's, UNIQUE constraints', partial ones), with
    /// each column's collation: the values on which a REPLACE may delete another row without a trigger firing.
    /// </summary>
    public IReadOnlyList<ConflictKey> ConflictKeys { get; init; } = [];

    /// <summary>Unique indexes over an expression: which rows a REPLACE deletes through them cannot be found by column values.</summary>
    public IReadOnlyList<string> ExpressionUniqueIndexes { get; init; } = [];
}
