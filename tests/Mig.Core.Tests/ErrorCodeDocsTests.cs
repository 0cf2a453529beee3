using System.Reflection;
using System.Text.RegularExpressions;

namespace Mig.Core.Tests;

/// <summary>
/// Every MIGnnnn code is a constant of <see cref="MigCode"/> and nowhere else, and
/// docs/msbuild.md lists exactly those: a code added, removed or renumbered without its
/// row fails here.
/// </summary>
[TestClass]
public sealed partial class ErrorCodeDocsTests
{
    [TestMethod]
    public void TheErrorCodeTableListsExactlyTheCodesOfMigCode()
    {
        var inCode = new SortedSet<string>(
            typeof(MigCode).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!),
            StringComparer.Ordinal);
        var documented = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match m in TableRow().Matches(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "msbuild.md"))))
            Assert.IsTrue(documented.Add(m.Groups[1].Value), $"{m.Groups[1].Value} has two rows in docs/msbuild.md");

        Assert.IsNotEmpty(inCode, "MigCode has no codes");
        Assert.AreEqual(string.Join(", ", inCode), string.Join(", ", documented),
            $"in MigCode but not documented: {string.Join(", ", inCode.Except(documented))}; documented but not in MigCode: {string.Join(", ", documented.Except(inCode))}");
    }

    [TestMethod]
    public void EveryCodeIsWrittenOnlyInMigCode()
    {
        var root = RepositoryRoot();
        var elsewhere = new List<string>();
        foreach (var project in new[] { "Mig.Core", "Mig.Tasks" })
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, project), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                var parts = relative.Split('/');
                if (parts.Contains("bin") || parts.Contains("obj") || relative == "Mig.Core/Protocol/MigCode.cs") continue;
                foreach (Match m in CodeLiteral().Matches(File.ReadAllText(file))) elsewhere.Add($"{relative}: {m.Value}");
            }
        Assert.IsEmpty(elsewhere, "a code written outside Mig.Core/Protocol/MigCode.cs (use MigCode.Name):\n" + string.Join("\n", elsewhere));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Mig.sln"))) return dir.FullName;
        throw new AssertFailedException($"No Mig.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex("\"(MIG[0-9]{4})\"")]
    private static partial Regex CodeLiteral();

    [GeneratedRegex(@"^\| (MIG[0-9]{4}) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
