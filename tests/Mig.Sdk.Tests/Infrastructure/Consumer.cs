using System.Security;

namespace Mig.Sdk.Tests.Infrastructure;

/// <summary>
/// A user's project in a temp folder outside the repository: it uses the packed
/// Mig.Sdk by version from the local feed, and nothing of the repository's
/// build settings leaks into it. Disposing deletes the folder.
/// </summary>
internal sealed class Consumer : IDisposable
{
    private Consumer(string directory, string name)
    {
        Directory = directory;
        Name = name;
    }

    /// <summary>The project folder.</summary>
    public string Directory { get; }

    /// <summary>The project name (file name of the .csproj without extension).</summary>
    public string Name { get; }

    public string ProjectPath => PathOf(Name + ".csproj");

    /// <summary>Where Mig keeps its intermediate files by default (obj/Debug/net10.0/Mig/).</summary>
    public string MigIntermediateDir => PathOf("obj/Debug/net10.0/Mig") + Path.DirectorySeparatorChar;

    /// <summary>
    /// A new consumer named <paramref name="name"/> with <paramref name="project"/> as its
    /// .csproj (default <see cref="ProjectXml.Additive"/>) and the given files
    /// (relative path, text), e.g. ("Schema/School.cs", "...").
    /// </summary>
    public static Consumer Create(string name = "SchoolApp", string? project = null, params (string Path, string Text)[] files)
    {
        var directory = Path.Combine(TestRun.Root, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        System.IO.Directory.CreateDirectory(directory);
        var consumer = new Consumer(directory, name);
        consumer.Write(name + ".csproj", project ?? ProjectXml.Additive());
        consumer.Write("nuget.config", NuGetConfig());
        // Stop MSBuild and NuGet from looking further up for settings.
        consumer.Write("Directory.Build.props", "<Project />\n");
        consumer.Write("Directory.Build.targets", "<Project />\n");
        consumer.Write("Directory.Packages.props", "<Project />\n");
        foreach (var (path, text) in files) consumer.Write(path, text);
        return consumer;
    }

    private static string NuGetConfig() => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="mig-local" value="{SecurityElement.Escape(Repo.PackagesDir)}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="mig-local">
              <package pattern="Mig.*" />
            </packageSource>
            <packageSource key="nuget.org">
              <package pattern="*" />
            </packageSource>
          </packageSourceMapping>
        </configuration>
        """;

    /// <summary>Absolute path of a file of the project.</summary>
    public string PathOf(string relativePath) => Path.GetFullPath(Path.Combine(Directory, relativePath));

    /// <summary>Writes a file of the project, creating folders as needed.</summary>
    public void Write(string relativePath, string text)
    {
        var path = PathOf(relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));

    public void Delete(string relativePath)
    {
        var path = PathOf(relativePath);
        if (System.IO.Directory.Exists(path)) DeleteDirectory(path);
        else File.Delete(path);
    }

    /// <summary>A new folder inside the project (for databases), returned as an absolute path.</summary>
    public string NewFolder(string relativePath)
    {
        var path = PathOf(relativePath);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    public DotNetResult Build(params string[] arguments) => DotNet.Build(Directory, arguments);

    public DotNetResult Build(DotNetOptions options, params string[] arguments) => DotNet.Build(Directory, arguments, options);

    public DotNetResult Restore() => DotNet.Restore(Directory);

    public void Dispose() => DeleteDirectory(Directory);

    public static void DeleteDirectory(string path)
    {
        if (!System.IO.Directory.Exists(path)) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(path, recursive: true);
    }
}

/// <summary>The consumer project files the tests use.</summary>
internal static class ProjectXml
{
    /// <summary>
    /// The additive form the README shows: <c>&lt;Project Sdk="Microsoft.NET.Sdk"&gt;</c>
    /// plus <c>&lt;Sdk Name="Mig.Sdk" Version="..." /&gt;</c>, with extra property and item XML.
    /// </summary>
    public static string Additive(string properties = "", string items = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <Sdk Name="Mig.Sdk" Version="{TestRun.MigVersion}" />
        {Body(properties, items)}
        </Project>
        """;

    /// <summary>Mig.Sdk as the project SDK: <c>&lt;Project Sdk="Mig.Sdk/version"&gt;</c>.</summary>
    public static string ProjectSdk(string properties = "", string items = "") => $"""
        <Project Sdk="Mig.Sdk/{TestRun.MigVersion}">
        {Body(properties, items)}
        </Project>
        """;

    private static string Body(string properties, string items) => $"""
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            {properties}
          </PropertyGroup>
          <ItemGroup>
            {items}
          </ItemGroup>
        """;
}
