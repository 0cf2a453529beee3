using Mig;

namespace School.Schema;

// Version 2 of the web API's schema, for the hot migration that eng/bench-web.sh and the
// web migration test run (they copy it over samples/WebApi/Schema/School.cs in a scratch
// copy). Against version 1: Student has an index on Level, and Club is a new table. The
// records the app uses are unchanged, so the same Program.cs builds the v2 app.

public enum Level { Freshman, Sophomore, Junior, Senior }

[AutoIncPK(nameof(Id))]
[Unique(nameof(Email))]
[Index(nameof(Name), nameof(Age))]
[Index(nameof(Level))]
[Default(nameof(Level), "0")]
[DefaultExpr(nameof(EnrolledAt), "strftime('%Y-%m-%dT%H:%M:%SZ','now')")]
[SelectAll, UpdateBy(nameof(Id)), DeleteBy(nameof(Id))]
[SelectBy(nameof(Name), nameof(Age), OrderBy = "Name DESC")]
[SelectLike(nameof(Name))]
[SelectOneBy(nameof(Email)), SelectOneBy(nameof(Id))]
public sealed record Student(long Id, string Name, long Age, string Email, Level Level, DateTimeOffset EnrolledAt, string? Nickname);

// New in v2: starts empty.
[AutoIncPK(nameof(Id))]
public sealed record Club(long Id, string Name, Student? President);

[PK(nameof(Code))]
public sealed record Department(string Code, string Title);

[AutoIncPK(nameof(Id))]
[OnDeleteCascade(nameof(Teacher))]
[SelectBy(nameof(Teacher))]
public sealed record Course(long Id, string Title, Teacher Teacher, decimal Fee);

[AutoIncPK(nameof(Id))]
[Index(nameof(Department))]
[SelectOneBy(nameof(Name))]
public sealed record Teacher(long Id, string Name, Department Department, [References(typeof(Teacher))] long? MentorId);

// An association table: no key of its own, one row per grade given.
[OnDeleteCascade(nameof(Student))]
public sealed record CourseGrade(Course Course, Student Student, double Grade);

[PK(nameof(Course), nameof(Term))]
public sealed record CourseSchedule(Course Course, string Term, TimeOnly StartsAt, DayOfWeek Day);

[AutoIncPK(nameof(Id))]
[OnDeleteSetNull(nameof(Student))]
public sealed record Document(long Id, byte[] Content, Guid Uid, Student? Student);

// Optional facts about a student live in extension tables (one row at most each).
public abstract record StudentOpt
{
    [SelectOneBy(nameof(Student)), OnDeleteCascade(nameof(Student))]
    public sealed record WithPhone(Student Student, string Phone) : StudentOpt;
    [OnDeleteCascade(nameof(Student))]
    public sealed record WithAddress(Student Student, string Street, string City) : StudentOpt;
}

[View]
[Join(typeof(CourseGrade), typeof(Student))]
[Join(typeof(CourseGrade), typeof(Course))]
[SelectBy(nameof(StudentId))]
public sealed record StudentCourseGrade(long StudentId, string StudentName, string Title, double Grade);

[ViewSql("SELECT course_id, count(*) AS students, avg(grade) AS average FROM course_grade GROUP BY course_id")]
[SelectAll]
public sealed record CourseAverage(long CourseId, long Students, double Average);

public static class Seeds
{
    public static readonly Department[] Departments = [new("CS", "Computer Science"), new("MATH", "Mathematics")];

    public static Teacher Founder => new(1, "Ada", Departments[0], null);
}
