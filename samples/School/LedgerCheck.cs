using Microsoft.Data.Sqlite;

/// <summary>
/// The demo's proof, in plain SQL against the new database: every student the app writer
/// saw committed (and not deleted later) is there exactly once, every deleted one is gone,
/// every department the raw writer committed is there. Prints the counts; exits 1 on any
/// difference.
/// </summary>
internal static class LedgerCheck
{
    public static int Run(string database, string appLedger, string rawLedger)
    {
        // An email is present unless a later "-email" line deleted it.
        var wanted = new Dictionary<string, bool>(StringComparer.Ordinal);
        var committed = 0;
        var deleted = 0;
        foreach (var line in File.ReadLines(appLedger))
        {
            if (line.StartsWith('-')) { wanted[line[1..]] = false; deleted++; }
            else { wanted[line] = true; committed++; }
        }
        var raw = File.ReadAllLines(rawLedger);

        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        var problems = new List<string>();
        using (var student = c.CreateCommand())
        {
            student.CommandText = "SELECT count(*) FROM student WHERE email = @email";
            var email = student.Parameters.Add("@email", SqliteType.Text);
            foreach (var (address, present) in wanted)
            {
                email.Value = address;
                var have = (long)student.ExecuteScalar()!;
                if (have != (present ? 1 : 0)) problems.Add($"MISMATCH: {address} expected {(present ? 1 : 0)} row(s), found {have}");
            }
        }
        using (var department = c.CreateCommand())
        {
            department.CommandText = "SELECT count(*) FROM department WHERE code = @code";
            var code = department.Parameters.Add("@code", SqliteType.Text);
            foreach (var r in raw)
            {
                code.Value = r;
                if ((long)department.ExecuteScalar()! != 1) problems.Add($"MISSING raw insert {r}");
            }
        }
        foreach (var p in problems) Console.WriteLine("  " + p);

        var expected = committed - deleted;
        var students = Scalar(c, "SELECT count(*) FROM student WHERE email LIKE 's%@school.example'");
        Console.WriteLine($"  app writer: {committed} students committed, {deleted} deleted -> expected {expected}, new file has {students}");
        Console.WriteLine($"  raw writer: {raw.Length} departments committed -> new file has {Scalar(c, "SELECT count(*) FROM department WHERE code LIKE 'R%'")}");
        Console.WriteLine($"  renamed column full_name: {Scalar(c, "SELECT full_name FROM student ORDER BY id LIMIT 1")}; new column credits filled with {Scalar(c, "SELECT group_concat(DISTINCT credits) FROM student")}");
        Console.WriteLine($"  status of the new file: {Scalar(c, "SELECT status FROM _migration_status")}");
        if (problems.Count == 0 && Convert.ToInt64(students, System.Globalization.CultureInfo.InvariantCulture) == expected)
        {
            Console.WriteLine("  lost writes: 0");
            return 0;
        }
        Console.Error.WriteLine($"  lost or wrong writes: {problems.Count}");
        return 1;
    }

    private static object? Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
