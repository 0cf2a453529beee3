namespace Mig.Migration;

/// <summary>A column as it is in an existing database file.</summary>
internal sealed record OldColumn(string Name, string DeclaredType, bool NotNull, string? Default)
{
    /// <summary>A generated column (VIRTUAL or STORED): its values can be read and copied, but they are derived, never data of their own.</summary>
    public bool Generated { get; init; }
}
