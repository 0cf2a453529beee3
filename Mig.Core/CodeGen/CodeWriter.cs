using System.Text;

namespace Mig.CodeGen;

/// <summary>Indented C# text, so the generated file reads like hand-written code.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder sb = new();
    private int indent;

    public void Line(string text = "")
    {
        if (text.Length > 0) sb.Append(' ', indent * 4).Append(text);
        sb.Append('\n');
    }

    public void Open(string header)
    {
        Line(header);
        Line("{");
        indent++;
    }

    public void Close(string suffix = "")
    {
        indent--;
        Line("}" + suffix);
    }

    /// <summary>One level deeper without a brace: the line after an expression-bodied member's <c>=&gt;</c>.</summary>
    public void Indent() => indent++;

    public void Outdent() => indent--;

    public override string ToString() => sb.ToString();
}
