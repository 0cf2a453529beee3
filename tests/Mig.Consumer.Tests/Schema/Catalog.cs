using Mig;

namespace Consumer.Schema;

// SQLite's constraints as a user writes them: a STRICT table, a table CHECK over two
// columns, a column CHECK, and a unique SKU among active products only (a partial index).
[AutoIncPK(nameof(Id))]
[Strict]
[Check("list_price >= sale_price")]
[Unique(nameof(Sku), Where = "active = 1")]
[Index(nameof(Active), nameof(SalePrice), Where = "active = 1")]
[SelectBy(nameof(Sku))]
public sealed record Product(long Id, string Sku, [property: Check("length(name) > 0")] string Name, double ListPrice, double SalePrice, bool Active);
