using Microsoft.Build.Framework;

namespace Mig.Tasks;

/// <summary>Creates the database file of the current schema, with seeds, ready to serve.</summary>
public sealed class MigInitDatabase : MigToolTask
{
    /// <summary>The model JSON written by <see cref="MigCompileSchema"/>.</summary>
    [Required] public string ModelFile { get; set; } = "";
    /// <summary>The database file to create; it must not exist.</summary>
    [Required] public string DatabaseFile { get; set; } = "";

    /// <inheritdoc />
    protected override string Verb => "init";

    /// <inheritdoc />
    protected override IEnumerable<(string, string?)> VerbArguments() => [("model", ModelFile), ("database", DatabaseFile)];
}
