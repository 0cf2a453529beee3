namespace Mig.Tasks.Tool;

/// <summary>The tool was called wrongly: a bug in the targets, not in the user's schema.</summary>
internal sealed class ToolUsageException(string message) : Exception(message);
