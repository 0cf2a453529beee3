using Microsoft.Data.Sqlite;

namespace Mig.Migration;

/// <summary>
/// What an old file records about the migration it belongs to (<c>_mig_old_info</c>, written by
/// MigMigrate and MigCutover; <c>_mig_info</c> of a file MigArchiveOld retired). Operations act on
/// this pair, not on a path the current checkout computes: a checkout at another schema, or one
/// run without the -p:MigNewDatabase of migrate time, computes another file.
/// </summary>
/// <param name="Marker">The capture marker ('recording', 'draining') or null.</param>
/// <param name="NewDatabase">The new file MigMigrate builds, or the file a retired old file was retired for.</param>
/// <param name="SchemaHash">The schema the new file is built for.</param>
/// <param name="CutOverAt">When MigCutover recorded in the old file that it hands over (null before).</param>
/// <param name="OwnStatus">The old file's own status ('ready', 'retired', ...), or null.</param>
internal sealed record RecordedPair(string? Marker, string? NewDatabase, string? SchemaHash, string? CutOverAt, string? OwnStatus)
{
    /// <summary>Whether the old file is retired (MigArchiveOld).</summary>
    public bool Retired => OwnStatus == Protocol.Retired;

    /// <summary>A new file after cutover that captures its writes for MigRevert: the old file they would go back into.</summary>
    public string? RevertTo { get; init; }

    /// <summary>When MigRevert started going back to the old file (null when no revert is in progress).</summary>
    public string? RevertStartedAt { get; init; }

    /// <summary>Reads the record of an open old file.</summary>
    public static RecordedPair Read(SqliteConnection old)
    {
        var status = Bookkeeping.Status(old);
        var newDatabase = Capture.Info(old, OldInfoKeys.NewDatabase);
        if (newDatabase is null && status == Protocol.Retired) newDatabase = Bookkeeping.Info(old, InfoKeys.RetiredFor);
        return new RecordedPair(Capture.Marker(old), newDatabase, Capture.Info(old, OldInfoKeys.SchemaHash), Capture.Info(old, OldInfoKeys.CutOverAt), status)
        {
            RevertStartedAt = Capture.Info(old, OldInfoKeys.RevertStartedAt),
            RevertTo = Capture.Info(old, OldInfoKeys.RevertTo),
        };
    }

    /// <summary>The record of an old file read-only, or null when it cannot be read (missing, not a database): the operation then says why.</summary>
    public static RecordedPair? TryRead(string oldPath)
    {
        if (!File.Exists(oldPath)) return null;
        try
        {
            using var c = SqliteFile.OpenReadOnly(oldPath);
            return Read(c);
        }
        catch (SqliteException)
        {
            return null;
        }
    }
}
