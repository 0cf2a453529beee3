using Mig;
using School.Schema;

/// <summary>
/// A service that never stops writing, for the hot-migration demo: inserts and
/// updates students and grades through the generated code, one transaction at a
/// time, and appends the email of every student it committed (and "-email" for
/// every one it deleted) to a ledger, so the demo can check that the new
/// database holds every committed write. A write refused while the old file
/// drains (MigWritesPausedException) is not committed and not in the ledger; a
/// real service would answer 503 and the client would retry against the new one.
/// </summary>
internal static class Writer
{
    public static async Task<int> RunAsync(string database, string ledgerPath, string stopPath)
    {
        await using var db = new MigDatabase(database);
        await using var ledger = new StreamWriter(ledgerPath, append: false) { AutoFlush = true };
        var committed = 0;
        var refused = 0;
        var course = await db.WriteAsync(async txn =>
        {
            var ada = await Teacher.SelectOneByNameAsync(txn, "Ada") ?? throw new InvalidOperationException("the seed teacher is missing");
            await Course.InsertAsync(txn, new Course(0, "Hot migrations", ada, 99m));
            return (await Course.SelectByTeacherAsync(txn, ada))[^1];
        });
        for (var i = 0; !File.Exists(stopPath); i++)
        {
            var email = $"s{i}@school.example";
            try
            {
                await db.WriteAsync(async txn =>
                {
                    await Student.InsertAsync(txn, new Student(0, $"Student {i}", 18 + i % 10, email, (Level)(i % 4), DateTimeOffset.UtcNow, i % 3 == 0 ? null : $"nick{i}"));
                    var s = (await Student.SelectOneByEmailAsync(txn, email))!;
                    await CourseGrade.InsertAsync(txn, new CourseGrade(course, s, i % 5));
                    if (i % 7 == 6) await Student.UpdateByIdAsync(txn, s with { Age = s.Age + 1 });
                });
                await ledger.WriteLineAsync(email);
                committed++;
                if (i % 11 == 10)
                {
                    var gone = $"s{i - 5}@school.example";
                    var removed = await db.WriteAsync(async txn =>
                        await Student.SelectOneByEmailAsync(txn, gone) is { } s ? await Student.DeleteByIdAsync(txn, s.Id) : 0);
                    if (removed > 0) await ledger.WriteLineAsync("-" + gone);
                }
            }
            catch (MigWritesPausedException)
            {
                refused++;
                await Task.Delay(20);
            }
            await Task.Delay(2);
        }
        Console.WriteLine($"writer: {committed} write transactions committed, {refused} refused while the old file drained");
        return 0;
    }
}
