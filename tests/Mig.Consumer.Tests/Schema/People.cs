using Mig;

namespace Consumer.Schema;

// A column computed from the old row by the migration that adds it, as a user writes it.
[AutoIncPK(nameof(Id))]
[SelectAll(OrderBy = "Id")]
public sealed record Person(long Id, string FirstName, string LastName,
    [MigrateFrom("first_name || ' ' || last_name")] string FullName);
