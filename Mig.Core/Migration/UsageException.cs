namespace Mig.Migration;

/// <summary>
/// A command line Mig cannot run (a missing verb or option, an unknown one): exit code 2. From the
/// tool it is a bug in the targets; from the bundle, the operator's typing.
/// </summary>
internal sealed class UsageException(string message) : Exception(message);
