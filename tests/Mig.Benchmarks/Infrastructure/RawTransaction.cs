using Microsoft.Data.Sqlite;

namespace Mig.Benchmarks.Infrastructure;

/// <summary>
/// The floor of a transaction: BEGIN / BEGIN IMMEDIATE / COMMIT / ROLLBACK as
/// commands prepared once on the connection. The hand-written ADO.NET, Dapper
/// and EF Core contenders all run their statements inside these, so the only
/// difference between them and Mig is the query layer (and, for Mig, the
/// runtime's transaction with its marker check). The connection does not know
/// about the transaction, so commands need no Transaction property, as in Mig.
/// </summary>
internal sealed class RawTransaction : IDisposable
{
    private readonly SqliteCommand begin, beginImmediate, commit, rollback;

    public RawTransaction(SqliteConnection connection)
    {
        begin = Prepare(connection, "BEGIN");
        beginImmediate = Prepare(connection, "BEGIN IMMEDIATE");
        commit = Prepare(connection, "COMMIT");
        rollback = Prepare(connection, "ROLLBACK");
    }

    public void Begin(bool write) => (write ? beginImmediate : begin).ExecuteNonQuery();

    public void Commit() => commit.ExecuteNonQuery();

    public void Rollback() => rollback.ExecuteNonQuery();

    private static SqliteCommand Prepare(SqliteConnection connection, string sql)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Prepare();
        return cmd;
    }

    public void Dispose()
    {
        begin.Dispose();
        beginImmediate.Dispose();
        commit.Dispose();
        rollback.Dispose();
    }
}
