using System.Globalization;

namespace Mig.Migration;

/// <summary>
/// One Mig operation at a time per pair of files. The lock is an exclusive
/// advisory lock on <c>&lt;old&gt;.miglock</c> held by the open file handle, so the
/// operating system releases it when the process ends, even when killed: a
/// crashed run never leaves the pair locked. A side file says who holds it.
/// The lock sits beside the resolved old file, so a symlink, a <c>..</c> or a relative
/// spelling of the same file takes the same lock.
/// </summary>
internal sealed class OperationLock : IDisposable
{
    private readonly FileStream stream;
    private readonly string infoPath;

    private OperationLock(FileStream stream, string infoPath)
    {
        this.stream = stream;
        this.infoPath = infoPath;
    }

    /// <summary>Takes the lock of the pair whose old file is <paramref name="oldPath"/>, or throws MIG0041 saying who has it.</summary>
    public static OperationLock Acquire(string oldPath, string operation)
    {
        var path = PathResolver.Resolve(oldPath) + ".miglock";
        var info = path + ".info";
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var holder = File.Exists(info) ? File.ReadAllText(info).Trim() : "another process";
            throw new MigOperationException(MigCode.OperationLocked,
                $"Another Mig operation is running on {oldPath} ({holder}). Wait for it to finish; MigStatus shows the state. The lock frees itself when that process ends.");
        }
        File.WriteAllText(info, $"{operation}, pid {Environment.ProcessId}, since {DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)}");
        return new OperationLock(stream, info);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        try { File.Delete(infoPath); } catch (IOException) { /* a stale info file only misnames a holder; the lock itself is the handle */ }
        stream.Dispose();
    }
}
