using Mig;

namespace Bench.Schema;

// Version 2: every table changes, so every row is really copied (no table is identical):
//   customer.name -> full_name and customer_order.status -> state ([RenamedFrom]),
//   customer.credit, customer_order.channel, order_line.discount are new, filled from [Default].

[AutoIncPK(nameof(Id))]
[Index(nameof(Email))]
[Default(nameof(Credit), "0")]
public sealed record Customer(long Id, [RenamedFrom("name")] string FullName, string Email, long Tier, long Credit);

[AutoIncPK(nameof(Id))]
[Index(nameof(Customer))]
[Default(nameof(Channel), "'web'")]
public sealed record CustomerOrder(long Id, Customer Customer, string PlacedAt, [RenamedFrom("status")] string State, string Channel);

[AutoIncPK(nameof(Id))]
[Index(nameof(Order))]
[Default(nameof(Discount), "0")]
public sealed record OrderLine(long Id, CustomerOrder Order, string Sku, long Quantity, double Price, double Discount);
