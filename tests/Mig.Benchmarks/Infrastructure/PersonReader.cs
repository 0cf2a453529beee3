using Microsoft.Data.Sqlite;
using Mig.Benchmarks.Schema;

namespace Mig.Benchmarks.Infrastructure;

/// <summary>Reads a person by ordinal, as every hand-written floor does.</summary>
internal static class PersonReader
{
    public static Person Read(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetDouble(4), r.IsDBNull(5) ? null : r.GetString(5));

    public static List<Person> ReadAll(SqliteCommand cmd)
    {
        var list = new List<Person>();
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(Read(r));
        return list;
    }
}
