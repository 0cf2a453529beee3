using Microsoft.Data.Sqlite;

namespace Mig;

/// <summary>
/// A transaction from <see cref="MigDatabase.WriteAsync{T}"/> or
/// <see cref="MigDatabase.ReadAsync{T}"/>: the first argument of every generated
/// query method. It is valid only inside the callback that received it.
/// </summary>
public sealed class MigTransaction
{
    private readonly PooledConnection pooled;
    private bool completed;

    internal MigTransaction(PooledConnection pooled, bool isWrite)
    {
        this.pooled = pooled;
        IsWrite = isWrite;
    }

    /// <summary>True for a write transaction (<c>BEGIN IMMEDIATE</c>).</summary>
    public bool IsWrite { get; }

    /// <summary>
    /// The open connection, inside the transaction, for SQL of your own. Commands
    /// need no <c>Transaction</c> property: the transaction is the connection's.
    /// </summary>
    public SqliteConnection Connection
    {
        get
        {
            ObjectDisposedException.ThrowIf(completed, this);
            return pooled.Connection;
        }
    }

    /// <summary>
    /// A prepared command for <paramref name="sql"/>, created and prepared once per
    /// connection and reused by every later transaction on it. Generated code calls
    /// this; <paramref name="addParameters"/> runs once, when the command is created.
    /// Set parameter values by index before each execution.
    /// </summary>
    public SqliteCommand Command(string sql, Action<SqliteCommand>? addParameters = null)
    {
        ObjectDisposedException.ThrowIf(completed, this);
        return pooled.Command(sql, addParameters);
    }

    internal void Complete() => completed = true;
}
