using Mig;

namespace Consumer.Schema;

// Stored by name everywhere: [StoreAsText] on the enum type.
[StoreAsText]
public enum Priority { Low, Normal, Urgent }

// Stored by name only where a property says so.
public enum Channel { Email = 1, Phone = 2, Chat = 3 }

[AutoIncPK(nameof(Id))]
[Default(nameof(Priority), "'Normal'")]
[SelectOneBy(nameof(Id)), SelectBy(nameof(Priority)), SelectBy(nameof(Channel))]
[SelectIn(nameof(Priority)), CountBy(nameof(Priority)), UpdateBy(nameof(Id)), Upsert]
public sealed record Ticket(long Id, string Title, Priority Priority, [property: StoreAsText] Channel? Channel, Channel Via);

[ViewSql("SELECT priority, count(*) AS tickets FROM ticket GROUP BY priority")]
[SelectAll(OrderBy = "Priority"), SelectBy(nameof(Priority))]
public sealed record TicketsByPriority(Priority Priority, long Tickets);
