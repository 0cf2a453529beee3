using Mig;

namespace Mig.Benchmarks.Schema;

// The benchmark schema. One-word column names, so Dapper maps the generated
// SQL's columns to the record constructors without any configuration.

/// <summary>The table of the read and update benchmarks: a unique text column and an indexed group column.</summary>
[AutoIncPK(nameof(Id))]
[Unique(nameof(Email))]
[Index(nameof(Team))]
[SelectOneBy(nameof(Email))]
[SelectBy(nameof(Team))]
[UpdateBy(nameof(Id))]
[CountBy(nameof(Team)), SelectPage(nameof(Id)), SelectRange(nameof(Team)), SelectIn(nameof(Id))]
public sealed record Person(long Id, string Name, string Email, long Team, double Score, string? Note);

/// <summary>The table of the insert benchmarks: no secondary index, so the insert itself is as cheap as SQLite makes it and any overhead shows.</summary>
[AutoIncPK(nameof(Id))]
public sealed record Entry(long Id, string Kind, long Seq, double Amount, string? Note);
