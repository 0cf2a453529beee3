namespace Mig.Schema;

/// <summary>A member of an enum: its name and the integer an INTEGER column stores for it.</summary>
internal sealed record EnumMember(string Name, long Value);
