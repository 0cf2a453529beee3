namespace Mig.Sql;

/// <summary>A database file <see cref="DatabaseCreator"/> refuses or fails to create, with the code and advice to show.</summary>
internal sealed class DatabaseCreationException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Stable <c>MIGnnnn</c> code (<see cref="MigCode.DatabaseExists"/>, <see cref="MigCode.DatabaseNotWritable"/>).</summary>
    public string Code { get; } = code;
}
