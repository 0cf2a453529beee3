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
[CountBy(nameof(Dash), nameof(Space)), CountBy(nameof(Tricky))]
[SelectPage(nameof(Email)), SelectPage(nameof(Email), OrderBy = "Email DESC")]
[SelectRange(nameof(Keyword)), SelectRange(nameof(Unicode), OrderBy = "Keyword DESC")]
[SelectIn(nameof(Unicode)), SelectIn(nameof(Tricky)), SelectIn(nameof(Keyword))]
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
[CountBy(nameof(Contact)), SelectIn(nameof(Contact))]
public sealed record ContactNote(long Id, [Column("who?")] Contact Contact, [Column("it's")] string Text);

// A key whose table and column names are SQL keywords with quotes, spaces and unicode in them.
[PK(nameof(Key))]
[Table("select \"from\"")]
[SelectPage(nameof(Key)), SelectRange(nameof(Key)), SelectIn(nameof(Key)), CountBy(nameof(N))]
public sealed record Keyword([Column("order by")] string Key, [Column("ü\"'; --")] long N);
