using Microsoft.Build.Framework;

namespace Mig.Tasks;

/// <summary>Writes the schema's full CREATE SQL to a file.</summary>
public sealed class MigWriteScript : MigToolTask
{
    /// <summary>The model JSON written by <see cref="MigCompileSchema"/>.</summary>
    [Required] public string ModelFile { get; set; } = "";
    /// <summary>The SQL file to write.</summary>
    [Required] public string ScriptFile { get; set; } = "";

    /// <inheritdoc />
    protected override string Verb => "script";

    /// <inheritdoc />
    protected override IEnumerable<(string, string?)> VerbArguments() => [("model", ModelFile), ("out", ScriptFile)];
}
