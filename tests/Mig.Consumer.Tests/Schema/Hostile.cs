using Mig;

namespace Consumer.Schema;

// Column and table names that are not identifiers (a '-', a space, a keyword, unicode,
// something that looks like a parameter): every generated statement must still bind and run.
[AutoIncPK(nameof(Id))]
[Table("contact list")]
[Unique(nameof(Email))]
[SelectAll(OrderBy = "Email")]
[SelectOneBy(nameof(Email))]
[SelectBy(nameof(Dash), nameof(Space), OrderBy = "Keyword DESC")]
[SelectLike(nameof(Email))]
[SelectByOrInsert(nameof(Email))]
[UpdateBy(nameof(Email))]
[DeleteBy(nameof(Email))]
[InsertOrIgnore, Upsert]
public sealed record Contact(
    long Id,
    [Column("e-mail")] string Email,
    [Column("a-b")] string Dash,
    [Column("a b")] string? Space,
    [Column("select")] long Keyword,
    [Column("名前")] string Unicode,
    [Column("@p0")] string? Tricky);

[AutoIncPK(nameof(Id))]
[SelectBy(nameof(Contact), OrderBy = "Id")]
[DeleteBy(nameof(Contact))]
public sealed record ContactNote(long Id, [Column("who?")] Contact Contact, [Column("it's")] string Text);
