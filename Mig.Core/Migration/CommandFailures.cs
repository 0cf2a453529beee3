using Mig.Sql;

namespace Mig.Migration;

/// <summary>
/// How a command ends when it fails, for the tool and the bundle alike: every failure is one
/// <c>origin : error MIGnnnn: message</c> line and an exit code, 1 for a refusal or failure and
/// 2 for a command line that cannot run; never a bare crash.
/// </summary>
internal static class CommandFailures
{
    /// <param name="origin">Names the source of the error lines (the project, or "mig"); read when one is printed.</param>
    /// <param name="usage">Turns a usage problem into the message printed for it.</param>
    /// <param name="error">Where error lines go.</param>
    /// <param name="command">The command; returns its exit code.</param>
    public static int Run(Func<string> origin, Func<string, string> usage, Action<string> error, Func<int> command)
    {
        void Report(string code, string message) => error(new MigDiagnostic(code, message).Format(origin()));
        try
        {
            return command();
        }
        catch (UsageException e)
        {
            Report(MigCode.Usage, usage(e.Message));
            return 2;
        }
        catch (MigOperationException e)
        {
            Report(e.Code, e.Message);
            return 1;
        }
        catch (DatabaseCreationException e)
        {
            Report(e.Code, e.Message);
            return 1;
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            var (code, message) = SqliteFailures.Explain(e);
            Report(code, message);
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Report(MigCode.Internal, $"{e.GetType().Name}: {e.Message}");
            return 1;
        }
        catch (Exception e)
        {
            // Anything else is a bug in Mig: report it as an error with where it happened, never a bare crash.
            Report(MigCode.Internal, $"Mig failed unexpectedly: {e.GetType().Name}: {e.Message} at {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}. Please report this.");
            return 1;
        }
    }
}
