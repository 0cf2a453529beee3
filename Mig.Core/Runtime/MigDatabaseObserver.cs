namespace Mig;

/// <summary>
/// Sees what a <see cref="MigDatabase"/> does, for logs and metrics: set it in
/// <see cref="MigDatabaseOptions.Observer"/>. Every method does nothing unless overridden,
/// so a new one can be added without breaking an observer. The methods run on the calling
/// thread, inside the call they report on: keep them short, and do not throw (an exception
/// thrown here is the call's exception).
/// </summary>
public abstract class MigDatabaseObserver
{
    /// <summary>
    /// A transaction found the old file's migration marker different from the one seen last
    /// (<c>null</c>, <c>"recording"</c> or <c>"draining"</c>; see <see cref="MigDatabase.Marker"/>).
    /// Called once per change, by the call that saw it.
    /// </summary>
    public virtual void MarkerChanged(MigDatabase database, string? previous, string? current)
    {
    }

    /// <summary>A write was refused because the file is being drained (the call throws <paramref name="exception"/>).</summary>
    public virtual void WriteRefused(MigDatabase database, MigWritesPausedException exception)
    {
    }

    /// <summary>A call was refused because the file is not ready to serve (the call throws <paramref name="exception"/>).</summary>
    public virtual void NotReady(MigDatabase database, MigDatabaseNotReadyException exception)
    {
    }

    /// <summary>
    /// A call ended: committed (<paramref name="error"/> null) or not. <paramref name="duration"/>
    /// runs from the call to its end, waits for locks and connections included.
    /// </summary>
    public virtual void TransactionEnded(MigDatabase database, bool write, TimeSpan duration, Exception? error)
    {
    }
}
