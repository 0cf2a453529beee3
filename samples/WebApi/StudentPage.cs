using Microsoft.Data.Sqlite;
using Mig;
using School.Schema;

namespace WebApi;

/// <summary>
/// Keyset paging, which the generated queries do not have: the generated SELECT (its column list
/// and order) with a key range and a LIMIT, prepared once per connection like generated code.
/// </summary>
internal static class StudentPage
{
    private const string Sql = StudentQueries.SelectAllSql + " WHERE t0.id > @p0 ORDER BY t0.id LIMIT @p1";

    public static Task<List<Student>> ReadAsync(MigTransaction txn, long after, int limit)
    {
        var cmd = txn.Command(Sql, static c =>
        {
            c.Parameters.Add("@p0", SqliteType.Integer);
            c.Parameters.Add("@p1", SqliteType.Integer);
        });
        cmd.Parameters[0].Value = after;
        cmd.Parameters[1].Value = limit;
        using var r = cmd.ExecuteReader();
        var page = new List<Student>(limit);
        while (r.Read())
            page.Add(new Student(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3), (Level)r.GetInt64(4),
                MigValue.ReadDateTimeOffset(r, 5), r.IsDBNull(6) ? null : r.GetString(6)));
        return Task.FromResult(page);
    }
}
