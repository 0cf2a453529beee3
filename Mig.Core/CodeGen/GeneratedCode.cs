namespace Mig.CodeGen;

/// <summary>The generated C# file and every SQL statement it runs.</summary>
internal sealed record GeneratedCode(string Code, IReadOnlyList<GeneratedStatement> Statements);
