namespace Mig.Schema;

/// <summary>
/// A schema error. It names where the cause is in C# terms (type, member,
/// attribute); the schema compiler turns that into a file and line.
/// </summary>
/// <param name="Code">Stable code, see <see cref="MigCode"/>.</param>
/// <param name="Message">What is wrong and what to do.</param>
/// <param name="Type">Full C# name of the type at fault ('+' for nesting), if any.</param>
/// <param name="Member">The property or static member at fault, if any.</param>
/// <param name="Attribute">The attribute at fault without the <c>Attribute</c> suffix, if any.</param>
/// <param name="Argument">The attribute argument at fault, to find the right attribute among several.</param>
internal sealed record SchemaError(string Code, string Message, string? Type = null, string? Member = null, string? Attribute = null, string? Argument = null);
