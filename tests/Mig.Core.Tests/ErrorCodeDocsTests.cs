using System.Text.RegularExpressions;

namespace Mig.Core.Tests;

/// <summary>
/// docs/msbuild.md lists every MIGnnnn code the code can raise, and no other: a code added,
/// removed or renumbered in Mig.Core or Mig.Tasks without its row fails here.
/// </summary>
[TestClass]
public sealed partial class ErrorCodeDocsTests
{
    [TestMethod]
    public void TheErrorCodeTableListsExactlyTheCodesInTheCode()
    {
        var root = RepositoryRoot();
        var inCode = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var project in new[] { "Mig.Core", "Mig.Tasks" })
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, project), "*.cs", SearchOption.AllDirectories))
            {
                var parts = Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar);
                if (parts.Contains("bin") || parts.Contains("obj")) continue;
                foreach (Match m in CodeLiteral().Matches(File.ReadAllText(file))) inCode.Add(m.Groups[1].Value);
            }
        var documented = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match m in TableRow().Matches(File.ReadAllText(Path.Combine(root, "docs", "msbuild.md"))))
            Assert.IsTrue(documented.Add(m.Groups[1].Value), $"{m.Groups[1].Value} has two rows in docs/msbuild.md");

        Assert.IsNotEmpty(inCode, "no MIGnnnn literal found in Mig.Core and Mig.Tasks");
        Assert.AreEqual(string.Join(", ", inCode), string.Join(", ", documented),
            $"raised but not documented: {string.Join(", ", inCode.Except(documented))}; documented but never raised: {string.Join(", ", documented.Except(inCode))}");
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
