namespace Mig;

/// <summary>An error or warning with a place, printed in the canonical form MSBuild, IDEs and CI annotate.</summary>
internal sealed record MigDiagnostic(string Code, string Message, string? File = null, int Line = 0, int Column = 0, bool IsError = true)
{
    /// <summary><c>file(line,col): error MIG0001: message</c>, or <c>origin : error ...</c> without a file.</summary>
    public string Format(string origin)
    {
        var where = File is null ? origin + " " : Line > 0 ? $"{File}({Line},{Column})" : File;
        // Messages may span lines (an SQL statement); MSBuild reads one line per diagnostic.
        return $"{where}: {(IsError ? "error" : "warning")} {Code}: {Message.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)}";
    }
}
