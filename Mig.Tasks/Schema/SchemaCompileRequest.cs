namespace Mig.Tasks.Schema;

/// <summary>What to compile: schema sources, what they bind to, and how.</summary>
internal sealed record SchemaCompileRequest(
    IReadOnlyList<(string Path, string Text)> Sources,
    IReadOnlyList<string> References,
    IReadOnlyList<string> Usings,
    string AssemblyName,
    bool Nullable = true);
