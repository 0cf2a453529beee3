namespace Mig.Migration;

/// <summary>A reason the plan cannot run at all, with what to do.</summary>
internal sealed record PlanError(string Code, string Message)
{
    /// <summary>What was found, without the advice (which depends on the phase that finds it); null when the message is all there is.</summary>
    public string? Finding { get; init; }
}
