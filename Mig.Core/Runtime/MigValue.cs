using Microsoft.Data.Sqlite;

namespace Mig;

/// <summary>
/// Conversions between C# values and what SQLite stores (docs/dsl.md, Type mapping),
/// used by generated code: one overload per type, so a value is boxed only into its
/// parameter. The formats are <see cref="StorageFormat"/>'s, which seed rows use too.
/// </summary>
public static class MigValue
{
#pragma warning disable CS1591 // one overload per mapped type; the class summary says it all
    public static object ToDb(long v) => v;
    public static object ToDb(long? v) => v.HasValue ? v.Value : DBNull.Value;
    public static object ToDb(int v) => (long)v;
    public static object ToDb(int? v) => v.HasValue ? (long)v.Value : DBNull.Value;
    public static object ToDb(short v) => (long)v;
    public static object ToDb(short? v) => v.HasValue ? (long)v.Value : DBNull.Value;
    public static object ToDb(byte v) => (long)v;
    public static object ToDb(byte? v) => v.HasValue ? (long)v.Value : DBNull.Value;
    public static object ToDb(bool v) => StorageFormat.Integer(v);
    public static object ToDb(bool? v) => v.HasValue ? StorageFormat.Integer(v.Value) : DBNull.Value;
    public static object ToDb(string? v) => (object?)v ?? DBNull.Value;
    public static object ToDb(double v) => v;
    public static object ToDb(double? v) => v.HasValue ? v.Value : DBNull.Value;
    public static object ToDb(float v) => (double)v;
    public static object ToDb(float? v) => v.HasValue ? (double)v.Value : DBNull.Value;
    public static object ToDb(decimal v) => StorageFormat.Text(v);
    public static object ToDb(decimal? v) => v.HasValue ? StorageFormat.Text(v.Value) : DBNull.Value;
    public static object ToDb(byte[]? v) => (object?)v ?? DBNull.Value;
    public static object ToDb(DateTime v) => StorageFormat.Text(v);
    public static object ToDb(DateTime? v) => v.HasValue ? ToDb(v.Value) : DBNull.Value;
    public static object ToDb(DateTimeOffset v) => StorageFormat.Text(v);
    public static object ToDb(DateTimeOffset? v) => v.HasValue ? ToDb(v.Value) : DBNull.Value;
    public static object ToDb(DateOnly v) => StorageFormat.Text(v);
    public static object ToDb(DateOnly? v) => v.HasValue ? ToDb(v.Value) : DBNull.Value;
    public static object ToDb(TimeOnly v) => StorageFormat.Text(v);
    public static object ToDb(TimeOnly? v) => v.HasValue ? ToDb(v.Value) : DBNull.Value;
    public static object ToDb(TimeSpan v) => StorageFormat.Text(v);
    public static object ToDb(TimeSpan? v) => v.HasValue ? ToDb(v.Value) : DBNull.Value;
    public static object ToDb(Guid v) => StorageFormat.Text(v);
    public static object ToDb(Guid? v) => v.HasValue ? ToDb(v.Value) : DBNull.Value;

    /// <summary>The start of a [SelectRange] over DateTime: every Kind at <paramref name="v"/>'s ticks is in the range.</summary>
    public static object ToDbRangeStart(DateTime v) => StorageFormat.RangeStart(v);

    /// <summary>The end of a [SelectRange] over DateTime: every Kind at <paramref name="v"/>'s ticks is in the range.</summary>
    public static object ToDbRangeEnd(DateTime v) => StorageFormat.RangeEnd(v);

    public static decimal ReadDecimal(SqliteDataReader r, int i) => StorageFormat.Decimal(r.GetString(i));
    public static byte[] ReadBytes(SqliteDataReader r, int i) => (byte[])r.GetValue(i);
    public static DateTime ReadDateTime(SqliteDataReader r, int i) => StorageFormat.DateTime(r.GetString(i));
    public static DateTimeOffset ReadDateTimeOffset(SqliteDataReader r, int i) => StorageFormat.DateTimeOffset(r.GetString(i));
    public static DateOnly ReadDateOnly(SqliteDataReader r, int i) => StorageFormat.DateOnly(r.GetString(i));
    public static TimeOnly ReadTimeOnly(SqliteDataReader r, int i) => StorageFormat.TimeOnly(r.GetString(i));
    public static TimeSpan ReadTimeSpan(SqliteDataReader r, int i) => StorageFormat.TimeSpan(r.GetString(i));
    public static Guid ReadGuid(SqliteDataReader r, int i) => StorageFormat.Guid(r.GetString(i));
    public static bool ReadBoolean(SqliteDataReader r, int i) => StorageFormat.Boolean(r.GetInt64(i));
#pragma warning restore CS1591

    /// <summary>The rowid of the last row this connection inserted (free: no statement runs).</summary>
    public static long LastInsertRowId(MigTransaction txn) => SQLitePCL.raw.sqlite3_last_insert_rowid(txn.Connection.Handle);
}
