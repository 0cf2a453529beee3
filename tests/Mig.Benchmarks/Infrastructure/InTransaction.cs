namespace Mig.Benchmarks.Infrastructure;

/// <summary>Runs a contender's body in its raw transaction, as each floor writes it out: begin, body, commit, or roll back and rethrow.</summary>
internal static class InTransaction
{
    public static T Run<T>(RawTransaction txn, bool write, Func<T> body)
    {
        txn.Begin(write);
        try
        {
            var result = body();
            txn.Commit();
            return result;
        }
        catch
        {
            txn.Rollback();
            throw;
        }
    }
}
