namespace Mig;

/// <summary>
/// An upgrade of a database file that Mig refused or could not finish, with the same <c>MIGnnnn</c>
/// code and text as the migration targets (docs/msbuild.md lists the codes). Refusals leave the
/// files as they were.
/// </summary>
public sealed class MigMigrationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">The stable <c>MIGnnnn</c> code.</param>
    /// <param name="message">What happened and what to do next.</param>
    /// <param name="inner">The cause, if any.</param>
    public MigMigrationException(string code, string message, Exception? inner = null) : base(message, inner) => Code = code;

    /// <summary>The stable <c>MIGnnnn</c> code (e.g. MIG0042 for a plan that loses data).</summary>
    public string Code { get; }
}
