namespace Mig.Schema;

/// <summary>The kinds of query attribute.</summary>
internal enum QueryKind
{
    /// <summary>[InsertOrIgnore].</summary>
    InsertOrIgnore,
    /// <summary>[SelectAll].</summary>
    SelectAll,
    /// <summary>[SelectBy].</summary>
    SelectBy,
    /// <summary>[SelectOneBy].</summary>
    SelectOneBy,
    /// <summary>[SelectLike].</summary>
    SelectLike,
    /// <summary>[SelectByOrInsert].</summary>
    SelectByOrInsert,
    /// <summary>[UpdateBy].</summary>
    UpdateBy,
    /// <summary>[DeleteBy].</summary>
    DeleteBy,
    /// <summary>[Upsert].</summary>
    Upsert,
    /// <summary>[CountBy].</summary>
    CountBy,
    /// <summary>[SelectPage].</summary>
    SelectPage,
    /// <summary>[SelectRange].</summary>
    SelectRange,
    /// <summary>[SelectIn].</summary>
    SelectIn,
}
