using Mig.Schema;

namespace Mig.Migration;

/// <summary>The compiled schema model (model.json) the verbs read: MigCompileSchema's output, or the copy in a bundle.</summary>
internal static class ModelFile
{
    public static SchemaModel Load(string path)
    {
        if (!File.Exists(path))
            throw new MigOperationException(MigCode.ModelUnreadable, $"The schema model {path} is missing. Build the project (or run the MigCompileSchema target) first.");
        return SchemaModelJson.Deserialize(File.ReadAllText(path));
    }
}
