using System;
using Mig;

namespace Consumer.Schema;

public enum Tier { Free, Pro, Enterprise }

[AutoIncPK(nameof(Id))]
[Unique(nameof(Email))]
[SelectAll(OrderBy = "Name")]
[SelectBy(nameof(Name))]
[SelectBy(nameof(Tier), OrderBy = "Name DESC, Id")]
[SelectOneBy(nameof(Email))]
[SelectLike(nameof(Name))]
[SelectByOrInsert(nameof(Email))]
[UpdateBy(nameof(Id))]
[DeleteBy(nameof(Id))]
[InsertOrIgnore]
[CountBy(nameof(Tier)), CountBy(nameof(Tier), nameof(Note))]
[SelectPage(nameof(Id)), SelectIn(nameof(Id))]
public sealed record Customer(long Id, string Name, string Email, Tier Tier, string? Note);

[PK(nameof(Code))]
[Upsert, SelectAll, DeleteBy(nameof(Code))]
public sealed record Country(string Code, string Name);

[AutoIncPK(nameof(Id))]
[OnDeleteCascade(nameof(Customer))]
[OnDeleteSetNull(nameof(ShipTo))]
[SelectBy(nameof(Customer)), SelectOneBy(nameof(Id)), SelectAll(OrderBy = "Id")]
[CountBy(nameof(Customer)), CountBy(nameof(ShipTo)), SelectIn(nameof(Customer), OrderBy = "Id"), SelectIn(nameof(ShipTo))]
public sealed record Order(long Id, Customer Customer, Country? ShipTo, decimal Total, DateTimeOffset PlacedAt);

// Two levels of embedding: a line's order brings its customer along.
[PK(nameof(Order), nameof(Line))]
[OnDeleteCascade(nameof(Order))]
[SelectBy(nameof(Order), OrderBy = "Line"), UpdateBy(nameof(Order), nameof(Line)), Upsert]
public sealed record OrderLine(Order Order, long Line, string Sku, int Quantity);

// Every mapped type, not null and nullable, and a list of each.
[PK(nameof(Id))]
[SelectOneBy(nameof(Id)), Upsert]
[SelectIn(nameof(Id)), SelectIn(nameof(I32)), SelectIn(nameof(I16)), SelectIn(nameof(U8)), SelectIn(nameof(Flag)), SelectIn(nameof(Tier))]
[SelectIn(nameof(Text)), SelectIn(nameof(F64)), SelectIn(nameof(F32)), SelectIn(nameof(Money)), SelectIn(nameof(Blob)), SelectIn(nameof(When))]
[SelectIn(nameof(At)), SelectIn(nameof(Day)), SelectIn(nameof(Time)), SelectIn(nameof(Span)), SelectIn(nameof(Uid))]
[SelectIn(nameof(NI32)), SelectIn(nameof(NFlag)), SelectIn(nameof(NTier)), SelectIn(nameof(NText)), SelectIn(nameof(NF64)), SelectIn(nameof(NMoney))]
[SelectIn(nameof(NBlob)), SelectIn(nameof(NWhen)), SelectIn(nameof(NAt)), SelectIn(nameof(NDay)), SelectIn(nameof(NTime)), SelectIn(nameof(NSpan)), SelectIn(nameof(NUid))]
public sealed record Sample(
    long Id, int I32, short I16, byte U8, bool Flag, Tier Tier, string Text, double F64, float F32, decimal Money,
    byte[] Blob, DateTime When, DateTimeOffset At, DateOnly Day, TimeOnly Time, TimeSpan Span, Guid Uid,
    int? NI32, bool? NFlag, Tier? NTier, string? NText, double? NF64, decimal? NMoney, byte[]? NBlob,
    DateTime? NWhen, DateTimeOffset? NAt, DateOnly? NDay, TimeOnly? NTime, TimeSpan? NSpan, Guid? NUid);

[AutoIncPK(nameof(Id))]
[SelectOneBy(nameof(Id))]
public sealed record Employee(long Id, string Name, [References(typeof(Employee))] long? ManagerId);

public abstract record CustomerOpt
{
    [SelectOneBy(nameof(Customer)), UpdateBy(nameof(Customer)), DeleteBy(nameof(Customer)), OnDeleteCascade(nameof(Customer))]
    public sealed record WithPhone(Customer Customer, string Phone) : CustomerOpt;
}

[View]
[Join(typeof(Order), typeof(Customer))]
[SelectBy(nameof(CustomerId), OrderBy = "Total DESC"), SelectAll, SelectOneBy(nameof(OrderId)), SelectLike(nameof(CustomerName))]
[CountBy(nameof(CustomerId)), SelectRange(nameof(OrderId)), SelectIn(nameof(CustomerName), OrderBy = "OrderId")]
public sealed record CustomerOrder(long OrderId, long CustomerId, string CustomerName, decimal Total);

[ViewSql("SELECT customer_id, count(*) AS orders FROM \"order\" GROUP BY customer_id")]
[SelectAll(OrderBy = "CustomerId")]
public sealed record OrderCount(long CustomerId, long Orders);

public static class Seeds
{
    public static readonly Country[] Countries = [new("NZ", "New Zealand"), new("FR", "France")];
}
