using Mig;
using School.Schema;

// The School service, in miniature. It opens the database of its own schema
// (MigSchemaInfo.DatabaseFileName, created by `dotnet build -t:MigInit`) and
// does its work through the generated query methods.
//   dotnet run -- [database]                         a tour of the generated methods
//   dotnet run -- write <database> <ledger> <stop>   keep writing until <stop> exists (the hot-migration demo)
//   dotnet run -- raw-write <database> <ledger> <stop>   the same, as a program without Mig: plain SQL
//   dotnet run -- check <new database> <ledger> <raw ledger>   the demo's proof that no write was lost
switch (args)
{
    case ["write", var writeTo, var ledger, var stop]: return await Writer.RunAsync(writeTo, ledger, stop);
    case ["raw-write", var writeTo, var ledger, var stop]: return await RawWriter.RunAsync(writeTo, ledger, stop);
    case ["check", var migrated, var ledger, var rawLedger]: return LedgerCheck.Run(migrated, ledger, rawLedger);
}

var path = args.Length > 0 ? args[0] : MigSchemaInfo.DatabaseFileName;
if (!File.Exists(path))
{
    Console.Error.WriteLine($"{path} does not exist; create it with: dotnet build -t:MigInit");
    return 2;
}
await using var db = new MigDatabase(path);

// Writes run in BEGIN IMMEDIATE ... COMMIT; an exception rolls everything back.
var (phil, course) = await db.WriteAsync(async txn =>
{
    var founder = await Teacher.SelectOneByNameAsync(txn, "Ada") ?? throw new InvalidOperationException("the seed teacher is missing");
    var email = $"phil{Random.Shared.Next()}@example.org";
    var id = await Student.InsertAsync(txn, new Student(0, "Phil", 20, email, Level.Freshman, DateTimeOffset.UtcNow, null));
    var student = await Student.SelectOneByEmailAsync(txn, email) ?? throw new InvalidOperationException("just inserted");
    await StudentOpt.WithPhone.InsertAsync(txn, new StudentOpt.WithPhone(student, "+1 555 0100"));
    var courseId = await Course.InsertAsync(txn, new Course(0, "Databases", founder, 120.50m));
    var course = (await Course.SelectByTeacherAsync(txn, founder)).First(c => c.Id == courseId);
    await CourseGrade.InsertAsync(txn, new CourseGrade(course, student, 4.5));
    await Student.UpdateByIdAsync(txn, student with { Nickname = "Ph" });
    return (student with { Id = id }, course);
});

// Reads see one consistent snapshot; a record-typed property comes back whole.
await db.ReadAsync(async txn =>
{
    var grades = await StudentCourseGrade.SelectByStudentIdAsync(txn, phil.Id);
    foreach (var g in grades) Console.WriteLine($"{g.StudentName} got {g.Grade} in {g.Title}");
    var phone = await StudentOpt.WithPhone.SelectOneByStudentAsync(txn, phil);
    Console.WriteLine($"{phil.Name}'s phone: {phone?.Phone}; course teacher: {course.Teacher.Name} ({course.Teacher.Department.Title})");
    var students = await Student.SelectAllAsync(txn);
    Console.WriteLine($"{students.Count} students; nicknames: {string.Join(", ", students.Select(s => s.Nickname ?? "-"))}");
});

// Deletes cascade along ON DELETE CASCADE.
await db.WriteAsync(async txn =>
{
    var removed = await Student.DeleteByIdAsync(txn, phil.Id);
    Console.WriteLine($"deleted {removed} student; grades left for them: {(await StudentCourseGrade.SelectByStudentIdAsync(txn, phil.Id)).Count}");
});
return 0;
