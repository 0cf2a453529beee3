using Microsoft.Build.Framework;

namespace Mig.Tasks;

/// <summary>Writes the generated query code (Mig.g.cs) from the cached model.</summary>
public sealed class MigGenerateQueries : MigToolTask
{
    /// <summary>The model JSON written by <see cref="MigCompileSchema"/>.</summary>
    [Required] public string ModelFile { get; set; } = "";
    /// <summary>The C# file to write.</summary>
    [Required] public string OutputFile { get; set; } = "";
    /// <summary>Stem of the database file name, for <c>MigSchemaInfo.DatabaseFileName</c>.</summary>
    [Required] public string DatabaseName { get; set; } = "";
    /// <summary>The schema source files, to put an error in generated SQL at its attribute's line.</summary>
    public ITaskItem[] Sources { get; set; } = [];
    /// <summary>The models of every database of the project (this one's may be among them), to refuse two databases in one namespace.</summary>
    public ITaskItem[] OtherModels { get; set; } = [];

    /// <inheritdoc />
    protected override string Verb => "generate";

    /// <inheritdoc />
    protected override IEnumerable<(string, string?)> VerbArguments() =>
        [("model", ModelFile), ("out", OutputFile), ("database-name", DatabaseName), .. Sources.Select(s => ("source", (string?)s.GetMetadata("FullPath"))),
         .. OtherModels.Select(m => ("other-model", (string?)m.GetMetadata("FullPath")))];
}
