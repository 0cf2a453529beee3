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
    public static OperationLock Acquire(string oldPath, string operation) =>
        TryAcquire(oldPath, operation, out var holder) ?? throw Locked(oldPath, holder, "Wait for it to finish; MigStatus shows the state.");

    /// <summary>
    /// Takes the lock of <paramref name="path"/> (a file or a name in a folder), waiting up to
    /// <paramref name="timeout"/> for the process that has it; MIG0041 after.
    /// </summary>
    public static OperationLock Acquire(string path, string operation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (TryAcquire(path, operation, out var holder) is { } taken) return taken;
            if (DateTime.UtcNow >= deadline)
                throw Locked(path, holder, $"Waited {timeout.TotalSeconds:F0} s; try again when it has finished.");
            cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(50));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static OperationLock? TryAcquire(string lockedPath, string operation, out string holder)
    {
        var path = PathResolver.Resolve(lockedPath) + ".miglock";
        var info = path + ".info";
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            holder = File.Exists(info) ? ReadHolder(info) : "another process";
            return null;
        }
        holder = "";
        File.WriteAllText(info, $"{operation}, pid {Environment.ProcessId}, since {DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)}");
        return new OperationLock(stream, info);
    }

    // The holder may be deleting its info file as we read it.
    private static string ReadHolder(string info)
    {
        try { return File.ReadAllText(info).Trim(); }
        catch (IOException) { return "another process"; }
    }

    private static MigOperationException Locked(string path, string holder, string advice) =>
        new(MigCode.OperationLocked,
            $"Another Mig operation is running on {path} ({holder}). {advice} The lock frees itself when that process ends.");

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        try { File.Delete(infoPath); } catch (IOException) { /* a stale info file only misnames a holder; the lock itself is the handle */ }
        stream.Dispose();
    }
}
