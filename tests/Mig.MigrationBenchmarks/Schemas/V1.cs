using Mig;

namespace Bench.Schema;

// Version 1: a three-level foreign-key chain, customer -> customer_order -> order_line,
// with an index on each foreign key and one on email (secondary indexes, built after the load).

[AutoIncPK(nameof(Id))]
[Index(nameof(Email))]
public sealed record Customer(long Id, string Name, string Email, long Tier);

[AutoIncPK(nameof(Id))]
[Index(nameof(Customer))]
public sealed record CustomerOrder(long Id, Customer Customer, string PlacedAt, string Status);

[AutoIncPK(nameof(Id))]
[Index(nameof(Order))]
public sealed record OrderLine(long Id, CustomerOrder Order, string Sku, long Quantity, double Price);
