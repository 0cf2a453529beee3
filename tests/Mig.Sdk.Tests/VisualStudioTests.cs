using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Mig.Sdk.Tests.Infrastructure;

namespace Mig.Sdk.Tests;

/// <summary>
/// Visual Studio's MSBuild runs on .NET Framework and cannot load a net10.0 task assembly. The
/// SDK ships the tasks built for net472 too (tools/net472/Mig.Tasks.dll) and picks them when
/// <c>MSBuildRuntimeType</c> is <c>Full</c>; they only start the net10.0 tool process. There is
/// no .NET Framework here to load them, so these tests check what can be checked on .NET: the
/// assembly is a .NET Framework 4.7.2 assembly that references only what .NET Framework MSBuild
/// has and defines every task the targets use, and evaluation chooses it for 'Full'.
/// </summary>
[TestClass]
[TestCategory("Evaluation")]
public sealed class VisualStudioTests
{
    // .NET Framework's own assemblies and MSBuild's, which Visual Studio's MSBuild loads tasks beside.
    private static readonly string[] AvailableOnNetFramework =
        ["mscorlib", "System", "System.Core", "System.Xml", "System.Xml.Linq", "System.Runtime.Serialization", "Microsoft.Build.Framework", "Microsoft.Build.Utilities.Core"];

    private static string PackageDir => Path.Combine(TestRun.NuGetPackages, "mig.sdk", TestRun.MigVersion.ToLowerInvariant());

    [TestMethod]
    public void TheNetFrameworkTasksReferenceOnlyWhatNetFrameworkMSBuildHasAndDefineEveryTask()
    {
        var tasks = Path.Combine(PackageDir, "tools", "net472", "Mig.Tasks.dll");
        Assert.IsTrue(File.Exists(tasks), $"{tasks} is not in the package");
        using var pe = new PEReader(File.OpenRead(tasks));
        var md = pe.GetMetadataReader();

        var references = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList();
        var unavailable = references.Except(AvailableOnNetFramework).ToList();
        Assert.IsEmpty(unavailable, $"references that .NET Framework MSBuild does not have: {string.Join(", ", unavailable)} (all: {string.Join(", ", references)})");
        Assert.AreEqual(".NETFramework,Version=v4.7.2", TargetFramework(md));

        var types = md.TypeDefinitions.Select(h => md.GetTypeDefinition(h))
            .Where(t => (t.Attributes & System.Reflection.TypeAttributes.Public) != 0)
            .Select(t => $"{md.GetString(t.Namespace)}.{md.GetString(t.Name)}").ToHashSet();
        var targets = File.ReadAllText(Path.Combine(PackageDir, "build", "Mig.Sdk.targets"));
        var used = System.Text.RegularExpressions.Regex.Matches(targets, "<UsingTask TaskName=\"([^\"]+)\" AssemblyFile=\"([^\"]+)\"").ToList();
        Assert.IsNotEmpty(used);
        foreach (var u in used)
        {
            Assert.AreEqual("$(MigTaskAssembly)", u.Groups[2].Value, u.Value);
            Assert.Contains(u.Groups[1].Value, types, $"{u.Groups[1].Value} is not a public type of the net472 tasks");
        }
        // The tool process they start: the net10.0 build beside them (MigToolTask.ToolAssembly).
        Assert.IsTrue(File.Exists(Path.Combine(PackageDir, "tools", "net472", "..", "net10.0", "Mig.Tasks.dll")));
    }

    [TestMethod]
    public void EvaluationPicksTheNetFrameworkTasksOnlyWhenMSBuildRunsOnNetFramework()
    {
        using var consumer = Consumer.Create("VsApp", files: ("Schema/Student.cs", "using Mig; [AutoIncPK(nameof(Id))] public sealed record Student(long Id, string Name);"));

        var core = Evaluator.Evaluate(consumer.ProjectPath);
        Assert.AreEqual("Core", core.Property("MSBuildRuntimeType"), "this run's MSBuild is the .NET one");
        Assert.AreEqual(core.Property("MigToolAssembly"), core.Property("MigTaskAssembly"));
        StringAssert.EndsWith(core.Property("MigTaskAssembly"), Path.Combine("tools", "net10.0", "Mig.Tasks.dll"));

        var full = Evaluator.Evaluate(consumer.ProjectPath, new Dictionary<string, string> { ["_MigMSBuildRuntimeType"] = "Full" });
        Assert.AreEqual(Path.Combine(PackageDir, "tools", "net472", "Mig.Tasks.dll"), full.Property("MigTaskAssembly"));
        Assert.IsTrue(File.Exists(full.Property("MigTaskAssembly")));
        Assert.AreEqual(core.Property("MigToolAssembly"), full.Property("MigToolAssembly"), "the tool process is the net10.0 one either way");
    }

    private static string? TargetFramework(MetadataReader md)
    {
        foreach (var h in md.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = md.GetCustomAttribute(h);
            if (attribute.Constructor.Kind != HandleKind.MemberReference) continue;
            var type = md.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
            if (type.Kind != HandleKind.TypeReference || md.GetString(md.GetTypeReference((TypeReferenceHandle)type).Name) != "TargetFrameworkAttribute") continue;
            var blob = md.GetBlobReader(attribute.Value);
            blob.ReadUInt16(); // prolog
            return blob.ReadSerializedString();
        }
        return null;
    }
}
