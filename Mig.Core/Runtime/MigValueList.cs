using System.Globalization;
using System.Text;

namespace Mig;

/// <summary>
/// The list a generated <c>SelectBy&lt;Prop&gt;InAsync</c> binds: its values in their stored forms
/// (<see cref="MigValue"/>'s) as one JSON array, which the statement reads with <c>json_each</c>,
/// so a list of any length is one parameter of one prepared statement. Written by hand, without
/// reflection, so that every value reads back exactly: integers as JSON integers (all 64 bits),
/// doubles in their shortest round-trip form (infinities as <c>±1e999</c>, which SQLite reads as
/// infinite; NaN, which SQLite cannot store, as null), text with <c>"</c>, <c>\</c> and control
/// characters (NUL too) escaped and everything else as it is, and byte arrays as hex that the
/// statement turns back into a BLOB (<c>unhex</c>). A null element is a JSON null: it matches no row.
/// </summary>
public sealed class MigValueList
{
    private readonly StringBuilder json;
    private bool any;

    /// <summary>An empty list with room for <paramref name="count"/> values.</summary>
    public MigValueList(int count) => json = new StringBuilder(2 + (Math.Clamp(count, 0, 1 << 20) * 8)).Append('[');

#pragma warning disable CS1591 // one overload per mapped type; the class summary says it all
    public void Add(long v) => Next().Append(v.ToString(CultureInfo.InvariantCulture));
    public void Add(int v) => Add((long)v);
    public void Add(short v) => Add((long)v);
    public void Add(byte v) => Add((long)v);
    public void Add(bool v) => Add(StorageFormat.Integer(v));
    public void Add(double v)
    {
        var text = double.IsNaN(v) ? "null"
            : double.IsPositiveInfinity(v) ? "1e999"
            : double.IsNegativeInfinity(v) ? "-1e999"
            : v.ToString("R", CultureInfo.InvariantCulture);
        Next().Append(text);
    }
    public void Add(float v) => Add((double)v);
    public void Add(string? v)
    {
        if (v is null)
        {
            Next().Append("null");
            return;
        }
        Next().Append('"');
        foreach (var c in v)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case < ' ': json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: json.Append(c); break;
            }
        }
        json.Append('"');
    }
    public void Add(decimal v) => Add(StorageFormat.Text(v));
    public void Add(byte[]? v) => Add(v is null ? null : Convert.ToHexString(v));
    public void Add(DateTime v) => Add(StorageFormat.Text(v));
    public void Add(DateTimeOffset v) => Add(StorageFormat.Text(v));
    public void Add(DateOnly v) => Add(StorageFormat.Text(v));
    public void Add(TimeOnly v) => Add(StorageFormat.Text(v));
    public void Add(TimeSpan v) => Add(StorageFormat.Text(v));
    public void Add(Guid v) => Add(StorageFormat.Text(v));
#pragma warning restore CS1591

    /// <summary>The JSON array, for the statement's parameter.</summary>
    public object ToDb() => ToString();

    /// <summary>The JSON array.</summary>
    public override string ToString() => json.ToString() + "]";

    private StringBuilder Next()
    {
        if (any) json.Append(',');
        any = true;
        return json;
    }
}
