using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mig;

/// <summary>
/// Conversions between C# values and what SQLite stores (dsl.md, Type mapping),
/// used by generated code. Text forms are invariant and round-trip exactly.
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
    public static object ToDb(bool v) => v ? 1L : 0L;
    public static object ToDb(bool? v) => v.HasValue ? (v.Value ? 1L : 0L) : DBNull.Value;
    public static object ToDb(string? v) => (object?)v ?? DBNull.Value;
    public static object ToDb(double v) => v;
    public static object ToDb(double? v) => v.HasValue ? v.Value : DBNull.Value;
    public static object ToDb(float v) => (double)v;
    public static object ToDb(float? v) => v.HasValue ? (double)v.Value : DBNull.Value;
    public static object ToDb(decimal v) => v.ToString(CultureInfo.InvariantCulture);
    public static object ToDb(decimal? v) => v.HasValue ? v.Value.ToString(CultureInfo.InvariantCulture) : DBNull.Value;
    public static object ToDb(byte[]? v) => (object?)v ?? DBNull.Value;
    public static object ToDb(DateTime v) => v.ToString("O", CultureInfo.InvariantCulture);
    public static object ToDb(DateTime? v) => v.HasValue ? ToDb(v.Value) : DBNull.Value;
    public static object ToDb(DateTimeOffset v) => v.ToString("O", CultureInfo.InvariantCulture);
    public static object ToDb(DateTimeOffset? v) => v.HasValue ? ToDb(v.Value) : DBNull.Value;
    public static object ToDb(DateOnly v) => v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    public static object ToDb(DateOnly? v) => v.HasValue ? ToDb(v.Value) : DBNull.Value;
    public static object ToDb(TimeOnly v) => v.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
    public static object ToDb(TimeOnly? v) => v.HasValue ? ToDb(v.Value) : DBNull.Value;
    public static object ToDb(TimeSpan v) => v.ToString("c", CultureInfo.InvariantCulture);
    public static object ToDb(TimeSpan? v) => v.HasValue ? ToDb(v.Value) : DBNull.Value;
    public static object ToDb(Guid v) => v.ToString("D");
    public static object ToDb(Guid? v) => v.HasValue ? ToDb(v.Value) : DBNull.Value;

    public static decimal ReadDecimal(SqliteDataReader r, int i) => decimal.Parse(r.GetString(i), NumberStyles.Float, CultureInfo.InvariantCulture);
    public static byte[] ReadBytes(SqliteDataReader r, int i) => (byte[])r.GetValue(i);
    public static DateTime ReadDateTime(SqliteDataReader r, int i) => DateTime.Parse(r.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    public static DateTimeOffset ReadDateTimeOffset(SqliteDataReader r, int i) => DateTimeOffset.Parse(r.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    public static DateOnly ReadDateOnly(SqliteDataReader r, int i) => DateOnly.ParseExact(r.GetString(i), "yyyy-MM-dd", CultureInfo.InvariantCulture);
    public static TimeOnly ReadTimeOnly(SqliteDataReader r, int i) => TimeOnly.Parse(r.GetString(i), CultureInfo.InvariantCulture);
    public static TimeSpan ReadTimeSpan(SqliteDataReader r, int i) => TimeSpan.ParseExact(r.GetString(i), "c", CultureInfo.InvariantCulture);
    public static Guid ReadGuid(SqliteDataReader r, int i) => Guid.Parse(r.GetString(i));
    public static bool ReadBoolean(SqliteDataReader r, int i) => r.GetInt64(i) != 0;
#pragma warning restore CS1591

    /// <summary>The rowid of the last row this connection inserted (free: no statement runs).</summary>
    public static long LastInsertRowId(MigTransaction txn) => SQLitePCL.raw.sqlite3_last_insert_rowid(txn.Connection.Handle);
}
