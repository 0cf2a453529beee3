using Microsoft.Data.Sqlite;
using Mig.Core.Tests.Migration;
using Mig.Migration;

namespace Mig.Core.Tests.Adversarial;

/// <summary>
/// The three writers of the adversarial suites, each writing one transaction of SQL statements: Mig's
/// runtime, a raw connection on Mig's SQLite, and the system <c>sqlite3</c> shell (another process, an
/// older SQLite). A statement that breaks a constraint is not a failure: the runtime and the raw
/// connection roll the transaction back, the shell (no -bail) skips it and commits the rest.
/// </summary>
internal static class HostileWriters
{
    /// <summary>Writes with one of the three writers, chosen by <paramref name="writer"/> (0, 1, 2).</summary>
    public static void Write(int writer, MigDatabase db, string path, IReadOnlyList<string> statements)
    {
        switch (writer)
        {
            case 0:
                RuntimeWrite(db, statements);
                break;
            case 1:
                RawWrite(path, statements);
                break;
            default:
                ShellWrite(path, statements);
                break;
        }
    }

    public static void RuntimeWrite(MigDatabase db, IReadOnlyList<string> statements)
    {
        try
        {
            db.WriteAsync(t =>
            {
                foreach (var sql in statements)
                {
                    using var cmd = t.Connection.CreateCommand();
                    cmd.CommandText = sql;
                    cmd.ExecuteNonQuery();
                }
                return Task.CompletedTask;
            }).GetAwaiter().GetResult();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // a constraint: the whole transaction rolls back
        {
        }
    }

    public static void RawWrite(string path, IReadOnlyList<string> statements)
    {
        using var c = MigrationPair.Open(path);
        using var txn = c.BeginTransaction();
        try
        {
            foreach (var sql in statements) TryExecute(c, sql, txn, rethrow: true);
            txn.Commit();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            txn.Rollback();
        }
    }

    /// <summary>No -bail: a statement that breaks a constraint is skipped, the rest commits, as a shell user sees it. Returns the exit code.</summary>
    public static int ShellWrite(string path, IReadOnlyList<string> statements) =>
        Sqlite3Shell.TryRun(path, "BEGIN;\n" + string.Join(";\n", statements) + ";\nCOMMIT;\n", bail: false).ExitCode;

    public static void TryExecute(SqliteConnection c, string sql, SqliteTransaction? txn = null, bool rethrow = false)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = txn;
        cmd.CommandText = sql;
        try
        {
            cmd.ExecuteNonQuery();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19 && !rethrow)
        {
        }
    }

    /// <summary>A refused operation: a MIG code, never another exception; returns the refusal.</summary>
    public static MigOperationException Refused(Action operation)
    {
        try
        {
            operation();
        }
        catch (MigOperationException e)
        {
            StringAssert.StartsWith(e.Code, "MIG", e.Message);
            return e;
        }
        throw new AssertFailedException("an operation at the wrong moment was not refused");
    }
}
