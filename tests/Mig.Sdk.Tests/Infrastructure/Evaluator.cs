using System.Runtime.CompilerServices;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Locator;

namespace Mig.Sdk.Tests.Infrastructure;

/// <summary>An item of an evaluated project: its include, full path and direct metadata.</summary>
internal sealed record EvaluatedItem(string ItemType, string Include, string FullPath, IReadOnlyDictionary<string, string> Metadata)
{
    public string Meta(string name) => Metadata.TryGetValue(name, out var value) ? value : "";
}

/// <summary>A project as MSBuild evaluated it, in plain BCL types.</summary>
internal sealed record EvaluatedProject(IReadOnlyDictionary<string, string> Properties, IReadOnlyList<EvaluatedItem> Items)
{
    /// <summary>The property's evaluated value; empty when undefined, as in MSBuild.</summary>
    public string Property(string name) => Properties.TryGetValue(name, out var value) ? value : "";

    public IReadOnlyList<EvaluatedItem> ItemsOf(string itemType) => [.. Items.Where(i => i.ItemType == itemType)];
}

/// <summary>Loads the .NET SDK's MSBuild into this process, once.</summary>
internal static class MSBuildHost
{
    private static readonly Lock Gate = new();

    /// <summary>
    /// Must run before any method that mentions an MSBuild type is JIT-compiled
    /// ([AssemblyInitialize] calls it): the locator then resolves Microsoft.Build
    /// from the SDK, since the package is referenced without its runtime assets.
    /// </summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (!MSBuildLocator.IsRegistered) MSBuildLocator.RegisterDefaults();
        }
    }
}

/// <summary>
/// Evaluates projects in-process. Only this class mentions MSBuild types, and
/// only inside a method that is never inlined, so nothing loads Microsoft.Build
/// before <see cref="MSBuildHost.Register"/> has run.
/// </summary>
internal static class Evaluator
{
    /// <summary>Evaluates a project (as `dotnet build` would, with Debug defaults) and returns its properties and the items of the given types.</summary>
    public static EvaluatedProject Evaluate(string projectPath, IReadOnlyDictionary<string, string>? globalProperties = null, params string[] itemTypes)
    {
        MSBuildHost.Register();
        return EvaluateCore(projectPath, globalProperties ?? new Dictionary<string, string>(), itemTypes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EvaluatedProject EvaluateCore(string projectPath, IReadOnlyDictionary<string, string> globalProperties, string[] itemTypes)
    {
        using var collection = new ProjectCollection(globalProperties.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase));
        try
        {
            var project = collection.LoadProject(projectPath);
            var properties = project.Properties.ToDictionary(p => p.Name, p => p.EvaluatedValue, StringComparer.OrdinalIgnoreCase);
            var items = itemTypes.SelectMany(project.GetItems).Select(i => new EvaluatedItem(
                i.ItemType, i.EvaluatedInclude, i.GetMetadataValue("FullPath"),
                i.Metadata.ToDictionary(m => m.Name, m => m.EvaluatedValue, StringComparer.OrdinalIgnoreCase))).ToList();
            return new EvaluatedProject(properties, items);
        }
        finally
        {
            collection.UnloadAllProjects();
        }
    }
}
