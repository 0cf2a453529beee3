using System.Runtime.Serialization.Json;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Mig.Tasks;

/// <summary>
/// The status JSON the tool writes, as MSBuild items. Read through the JSON reader of
/// System.Runtime.Serialization (JSON mapped to XML), which .NET Framework has too: the tasks
/// also load in Visual Studio's MSBuild, where System.Text.Json is not part of the framework.
/// </summary>
internal static class StatusJson
{
    /// <summary>One item <c>MigStatus</c> with the top-level scalars as metadata (capitalised), then one item per table.</summary>
    public static ITaskItem[] Read(string json)
    {
        XElement root;
        using (var reader = JsonReaderWriterFactory.CreateJsonReader(Encoding.UTF8.GetBytes(json), XmlDictionaryReaderQuotas.Max))
            root = XElement.Load(reader);
        var main = new TaskItem("MigStatus");
        foreach (var p in root.Elements().Where(e => Type(e) is not ("array" or "object")))
        {
            var name = Name(p);
            main.SetMetadata(char.ToUpperInvariant(name[0]) + name.Substring(1), Scalar(p));
        }
        var items = new List<ITaskItem> { main };
        foreach (var t in root.Elements().Where(e => Name(e) == "tables").Elements())
        {
            var item = new TaskItem(Scalar(Child(t, "table")));
            item.SetMetadata("Kind", "Table");
            item.SetMetadata("OldRows", Scalar(Child(t, "oldRows")));
            item.SetMetadata("NewRows", Scalar(Child(t, "newRows")));
            items.Add(item);
        }
        return [.. items];
    }

    private static XElement Child(XElement parent, string name) =>
        parent.Elements().FirstOrDefault(e => Name(e) == name) ?? throw new InvalidDataException($"The status JSON has a table without \"{name}\".");

    // A property whose name is not an XML name is mapped to <a:item item="name">.
    private static string Name(XElement e) => (string?)e.Attribute("item") ?? e.Name.LocalName;

    private static string Type(XElement e) => (string?)e.Attribute("type") ?? "string";

    // As System.Text.Json's JsonElement.ToString() printed them before: True/False, numbers as written, null as empty.
    private static string Scalar(XElement e) => Type(e) switch
    {
        "null" => "",
        "boolean" => e.Value == "true" ? "True" : "False",
        _ => e.Value,
    };
}
