using System.Globalization;

namespace Mig.Core.Tests.Adversarial;

/// <summary>
/// SQL literals of values at the edges: REAL ±0.0, ±Inf, subnormals, 17-digit values and the
/// extremes; int64 extremes; invalid UTF-8, NUL, control characters, empty and large text;
/// empty and large BLOBs; NULL. Literals, not parameters, so every writer (the sqlite3 shell
/// included) writes the same thing, and invalid UTF-8 never passes through a .NET string.
/// </summary>
internal sealed class HostileValues(Random rng, int largeBytes)
{
    private static readonly string[] Reals =
    [
        "0.0", "-0.0", "1e999", "-1e999", "4.9406564584124654e-324", "-4.9406564584124654e-324", "2.2250738585072009e-308",
        "1.7976931348623157e308", "-1.7976931348623157e308", "0.30000000000000004", "0.1", "1e16", "9007199254740993.0", "123456789.12345678",
    ];

    private static readonly string[] Integers =
    [
        "9223372036854775807", "-9223372036854775808", "0", "-1", "1", "4294967296", "-9223372036854775807",
    ];

    /// <summary>Any finite double, as a literal SQLite reads as a REAL (random bits: every exponent is as likely).</summary>
    private string RandomReal()
    {
        var d = BitConverter.Int64BitsToDouble(rng.NextInt64());
        if (!double.IsFinite(d)) return "1e999";
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('E', StringComparison.Ordinal) || text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>A value for a column of the given declared kind; other storage classes too, as SQLite allows them.</summary>
    public string Next(string kind)
    {
        if (rng.Next(8) == 0) return "NULL";
        var pick = rng.Next(10) == 0 ? new[] { "INTEGER", "REAL", "TEXT", "BLOB" }[rng.Next(4)] : kind;
        return pick switch
        {
            "INTEGER" => rng.Next(3) == 0 ? rng.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture) : Integers[rng.Next(Integers.Length)],
            "REAL" => rng.Next(3) == 0 ? RandomReal() : Reals[rng.Next(Reals.Length)],
            "TEXT" => rng.Next(11) switch
            {
                0 => "CAST(X'63FE64' AS TEXT)",
                1 => "CAST(X'C0AFED' AS TEXT)",
                2 => "(char(0) || 'after nul')",
                3 => "''",
                4 => $"printf('%.*c', {rng.Next(largeBytes / 2, largeBytes)}, 'x')",
                5 => $"replace(printf('%.*c', {rng.Next(100, 2000)}, 'x'), 'x', char(1))",
                6 => "'it''s \"quoted\" -- ; /* */'",
                7 => "'用户 😀 é'",
                // Equal under NOCASE, not under BINARY: a unique key with a collation conflicts where a byte compare does not.
                8 or 9 => new[] { "'mixed'", "'MIXED'", "'Mixed'", "'mIxEd '" }[rng.Next(4)],
                _ => $"'t{rng.Next(1000)}'",
            },
            _ => rng.Next(4) switch
            {
                0 => "X''",
                1 => $"randomblob({rng.Next(1, 64)})",
                2 => $"zeroblob({rng.Next(largeBytes / 2, largeBytes)})",
                _ => $"X'{Convert.ToHexString(BitConverter.GetBytes(rng.NextInt64()))}'",
            },
        };
    }
}
