namespace Mig.Migration;

/// <summary>An operation Mig refuses or cannot finish, with the code and advice to show (<see cref="MigCode"/>).</summary>
internal sealed class MigOperationException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Stable <c>MIGnnnn</c> code.</summary>
    public string Code { get; } = code;
}
