using System.Diagnostics;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Mig.Tasks;

/// <summary>
/// Base of Mig's MSBuild tasks: each runs one verb of this same assembly as a
/// short-lived process (<c>dotnet exec Mig.Tasks.dll verb @rsp</c>). The process
/// prints canonical diagnostics, which ToolTask turns into MSBuild errors with
/// file and line. Nothing here loads Roslyn, SQLite or the user's schema, so a
/// reused MSBuild node never holds a stale schema or a database lock.
/// </summary>
public abstract class MigToolTask : ToolTask
{
    /// <summary>The project, named in errors that have no schema location.</summary>
    public string? ProjectPath { get; set; }

    /// <summary>The tool verb.</summary>
    protected abstract string Verb { get; }

    /// <summary>The verb's <c>--name value</c> arguments.</summary>
    protected abstract IEnumerable<(string Name, string? Value)> VerbArguments();

    /// <inheritdoc />
    protected override string ToolName => "dotnet";

    /// <inheritdoc />
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;

    /// <inheritdoc />
    protected override string GenerateFullPathToTool()
    {
        // The CLI tells MSBuild which host runs it; prefer that over PATH so the
        // tool runs on the same .NET as the build.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var self = Process.GetCurrentProcess().MainModule?.FileName;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    /// <inheritdoc />
    protected override string GenerateCommandLineCommands() => $"exec \"{ToolAssembly}\"";

    /// <summary>
    /// The tool process's assembly: this one on .NET; on .NET Framework (Visual Studio's MSBuild),
    /// which cannot run the tool, the .NET build beside it in the package (tools/net10.0/).
    /// </summary>
    internal static string ToolAssembly
    {
        get
        {
            var self = typeof(MigToolTask).Assembly.Location;
#if NETFRAMEWORK
            return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(self)!, "..", "net10.0", Path.GetFileName(self)));
#else
            return self;
#endif
        }
    }

    /// <inheritdoc />
    protected override string GenerateResponseFileCommands()
    {
        var sb = new StringBuilder().AppendLine(Verb);
        if (!string.IsNullOrEmpty(ProjectPath)) sb.AppendLine("--project").AppendLine(ProjectPath);
        foreach (var (name, value) in VerbArguments())
            if (!string.IsNullOrEmpty(value)) sb.Append("--").AppendLine(name).AppendLine(value);
        return sb.ToString();
    }

    /// <inheritdoc />
    protected override Encoding ResponseFileEncoding => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
}
