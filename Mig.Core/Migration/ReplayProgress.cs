namespace Mig.Migration;

/// <summary>Progress of a drain's replay.</summary>
internal sealed record ReplayProgress(long Applied, long Pending, TimeSpan Elapsed);
