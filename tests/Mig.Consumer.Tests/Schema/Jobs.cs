using System;
using Mig;

namespace Consumer.Schema;

// Counts, pages, ranges and lists over every kind a range accepts.
[AutoIncPK(nameof(Id))]
[Unique(nameof(Code))]
[Index(nameof(DueAt))]
[CountBy(nameof(Done)), CountBy(nameof(Done), nameof(Owner))]
[SelectPage(nameof(Id)), SelectPage(nameof(Id), OrderBy = "Id DESC"), SelectPage(nameof(Code))]
[SelectRange(nameof(DueAt)), SelectRange(nameof(Priority)), SelectRange(nameof(Score)), SelectRange(nameof(Title), OrderBy = "Id")]
[SelectRange(nameof(Day)), SelectRange(nameof(At)), SelectRange(nameof(Uid)), SelectRange(nameof(Tier)), SelectRange(nameof(Reminder))]
[SelectRange(nameof(Done)), SelectRange(nameof(Ratio))]
[SelectIn(nameof(Id)), SelectIn(nameof(Title)), SelectIn(nameof(Tier))]
public sealed record Job(
    long Id, string Code, string Title, DateTime DueAt, long Priority, double Score, bool Done, string? Owner,
    DateOnly Day, TimeOnly At, Guid Uid, Tier Tier, DateTime? Reminder, float Ratio);
