using Microsoft.Build.Framework;

namespace Mig.Tasks;

/// <summary>Compiles @(MigSchema) into the schema assembly and writes the reflected model and its hash.</summary>
public sealed class MigCompileSchema : MigToolTask
{
    /// <summary>The schema source files.</summary>
    [Required] public ITaskItem[] Sources { get; set; } = [];
    /// <summary>What the schema compiles against: the project's reference assemblies.</summary>
    [Required] public ITaskItem[] References { get; set; } = [];
    /// <summary>Global usings (the project's @(Using) items).</summary>
    public ITaskItem[] Usings { get; set; } = [];
    /// <summary>Name of the schema assembly.</summary>
    [Required] public string AssemblyName { get; set; } = "";
    /// <summary>Where the schema assembly goes.</summary>
    [Required] public string AssemblyFile { get; set; } = "";
    /// <summary>Where the model JSON goes.</summary>
    [Required] public string ModelFile { get; set; } = "";
    /// <summary>Where the schema hash goes (one line).</summary>
    [Required] public string HashFile { get; set; } = "";

    /// <inheritdoc />
    protected override string Verb => "compile";

    /// <inheritdoc />
    protected override IEnumerable<(string, string?)> VerbArguments()
    {
        foreach (var s in Sources) yield return ("source", s.GetMetadata("FullPath"));
        foreach (var r in References) yield return ("reference", r.ItemSpec);
        // A static using (<Using Static="true">) or an alias is not a namespace import; the schema does not need them.
        foreach (var u in Usings.Where(u => string.IsNullOrEmpty(u.GetMetadata("Alias")) && !string.Equals(u.GetMetadata("Static"), "true", StringComparison.OrdinalIgnoreCase)))
            yield return ("using", u.ItemSpec);
        yield return ("assembly-name", AssemblyName);
        yield return ("out-assembly", AssemblyFile);
        yield return ("out-model", ModelFile);
        yield return ("out-hash", HashFile);
    }
}
