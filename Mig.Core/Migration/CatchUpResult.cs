namespace Mig.Migration;

/// <summary>What a catch-up did (<see cref="CatchUp"/>).</summary>
/// <param name="Applied">Log entries replayed.</param>
/// <param name="Pending">Entries still to replay when it stopped.</param>
/// <param name="ReplayRate">Entries replayed a second while writes went on (0 when none were).</param>
/// <param name="WriteRate">Entries the old service's writes added a second meanwhile.</param>
/// <param name="FallingBehind">It stopped because the backlog did not shrink: writes arrive at least as fast as replay follows.</param>
/// <param name="Trimmed">Replayed entries removed from the old file's log.</param>
internal sealed record CatchUpResult(long Applied, long Pending, double ReplayRate, double WriteRate, bool FallingBehind, long Trimmed);
