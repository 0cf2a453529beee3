using System.Globalization;

namespace Mig;

/// <summary>
/// What SQLite stores for each mapped C# type (docs/dsl.md, Type mapping), written once for
/// the generated code (<c>MigValue</c>) and the build (seed rows). Integers and
/// enums are INTEGER, bool is 1/0, double and float are REAL, byte[] is a BLOB; the rest
/// is invariant text that parses back exactly: decimals keep their scale, DateTime its
/// Kind, DateTimeOffset its offset.
/// </summary>
internal static class StorageFormat
{
    private const string Timestamp = "O";
    // "O" of a DateTime without its Kind suffix ("Z", "+hh:mm" or nothing).
    private const string TimestampWithoutKind = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff";
    // Sorts after every Kind suffix ('+', '-', 'Z') and the end of the text.
    private const char AfterEveryKind = '~';
    private const string Date = "yyyy-MM-dd";
    private const string Time = "HH:mm:ss.fffffff";
    private const string Duration = "c";
    private const string Uuid = "D";

    public static long Integer(bool v) => v ? 1L : 0L;
    public static bool Boolean(long v) => v != 0;

    public static string Text(decimal v) => v.ToString(CultureInfo.InvariantCulture);
    public static string Text(DateTime v) => v.ToString(Timestamp, CultureInfo.InvariantCulture);
    public static string Text(DateTimeOffset v) => v.ToString(Timestamp, CultureInfo.InvariantCulture);
    public static string Text(DateOnly v) => v.ToString(Date, CultureInfo.InvariantCulture);
    public static string Text(TimeOnly v) => v.ToString(Time, CultureInfo.InvariantCulture);
    public static string Text(TimeSpan v) => v.ToString(Duration, CultureInfo.InvariantCulture);
    public static string Text(Guid v) => v.ToString(Uuid, CultureInfo.InvariantCulture);

    /// <summary>
    /// The least stored text of any DateTime with <paramref name="v"/>'s ticks, whatever its Kind: the
    /// "O" form without the Kind suffix, which sorts before the same text with one.
    /// </summary>
    public static string RangeStart(DateTime v) => v.ToString(TimestampWithoutKind, CultureInfo.InvariantCulture);

    /// <summary>
    /// A text above the stored text of every DateTime with <paramref name="v"/>'s ticks, whatever its Kind,
    /// and below that of every later one: with <see cref="RangeStart"/>, a range over the stored
    /// text is a range of ticks, as DateTime compares.
    /// </summary>
    public static string RangeEnd(DateTime v) => RangeStart(v) + AfterEveryKind;

    public static decimal Decimal(string s) => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
    public static DateTime DateTime(string s) => System.DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    public static DateTimeOffset DateTimeOffset(string s) => System.DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    public static DateOnly DateOnly(string s) => System.DateOnly.ParseExact(s, Date, CultureInfo.InvariantCulture);
    public static TimeOnly TimeOnly(string s) => System.TimeOnly.Parse(s, CultureInfo.InvariantCulture);
    public static TimeSpan TimeSpan(string s) => System.TimeSpan.ParseExact(s, Duration, CultureInfo.InvariantCulture);
    public static Guid Guid(string s) => System.Guid.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>
    /// The storage value (null, long, double, string or byte[]) of a boxed value of a mapped
    /// type, for values the build writes (seed rows); generated code binds the same through
    /// <c>MigValue</c>'s typed overloads, without boxing.
    /// </summary>
    public static object? ToStorage(object? value) => value switch
    {
        null => null,
        long or int or short or byte or Enum => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        bool v => Integer(v),
        string v => v,
        double v => v,
        float v => (double)v,
        decimal v => Text(v),
        byte[] v => v,
        DateTime v => Text(v),
        DateTimeOffset v => Text(v),
        DateOnly v => Text(v),
        TimeOnly v => Text(v),
        TimeSpan v => Text(v),
        Guid v => Text(v),
        _ => throw new ArgumentException($"Mig stores no value of type {value.GetType()}.", nameof(value)),
    };
}
