namespace Mig.Core.Tests;

/// <summary>Fails the run when a test left a temp directory behind.</summary>
[TestClass]
public static class TempFileCheck
{
    [AssemblyCleanup]
    public static void NoTempDirectoryIsLeft()
    {
        var left = TestDatabase.Made.Where(Directory.Exists).ToList();
        foreach (var dir in left) Directory.Delete(dir, recursive: true);
        Assert.IsEmpty(left, "temp directories left behind: " + string.Join(", ", left));
    }
}
