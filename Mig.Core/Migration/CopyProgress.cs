namespace Mig.Migration;

/// <summary>Progress of one table's copy.</summary>
internal sealed record CopyProgress(string Table, long Copied, long Total, TimeSpan Elapsed)
{
    /// <summary>Rows per second so far.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Copied / Elapsed.TotalSeconds : 0;

    /// <summary>Estimated time left for this table.</summary>
    public TimeSpan Eta => RowsPerSecond > 0 ? TimeSpan.FromSeconds(Math.Max(0, Total - Copied) / RowsPerSecond) : TimeSpan.Zero;
}
