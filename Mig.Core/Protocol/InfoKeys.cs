namespace Mig;

/// <summary>The keys of a file's <see cref="Protocol.InfoTable"/>, and who writes each.</summary>
internal static class InfoKeys
{
    /// <summary>The schema the file was made for (MigInit, MigMigrate).</summary>
    public const string SchemaHash = "schema_hash";
    /// <summary>When the file was made (MigInit, MigMigrate).</summary>
    public const string CreatedAt = "created_at";
    /// <summary>The version of Mig that made the file (MigInit only).</summary>
    public const string MigVersion = "mig_version";
    /// <summary>The old file a migration's new file is built from.</summary>
    public const string OldDatabase = "old_database";
    /// <summary>The id of the last log entry the copy holds; written with the copy's commit, so none means the copy did not finish.</summary>
    public const string Cutoff = "cutoff";
    /// <summary>The id of the last log entry replayed, committed with each replay batch.</summary>
    public const string Checkpoint = "checkpoint";
    /// <summary>Replay's rate while writes went on, in log entries a second, measured by the last catch-up (MigCatchUp, MigDrain).</summary>
    public const string ReplayRate = "replay_rate";
    /// <summary>The rate at which the old service's writes added log entries during that catch-up, in entries a second.</summary>
    public const string WriteRate = "write_rate";
    /// <summary>When those rates were measured.</summary>
    public const string RatesMeasuredAt = "rates_measured_at";
    /// <summary>The losses the operator accepted at MigMigrate (-p:MigAllowDataLoss=true), one loss key a line.</summary>
    public const string AcceptedLosses = "accepted_losses";
    /// <summary>When MigCutover marked the new file ready.</summary>
    public const string CutOverAt = "cut_over_at";
    /// <summary>An old file MigArchiveOld retired: the new file it was retired for.</summary>
    public const string RetiredFor = "retired_for";
    /// <summary>An old file MigArchiveOld retired: when.</summary>
    public const string RetiredAt = "retired_at";

    /// <summary>A new file MigRevert took out of service: when.</summary>
    public const string RevertedAt = "reverted_at";
    /// <summary>A new file MigRevert took out of service: the old file its writes went back into.</summary>
    public const string RevertedTo = "reverted_to";
    /// <summary>The rowids a seed inserted into <paramref name="table"/> during a migration, comma-separated.</summary>
    public static string SeededRows(string table) => "seeded_rows:" + table;
}
