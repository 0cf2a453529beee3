using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mig.Schema;

namespace Mig.Sql;

/// <summary>
/// The schema's identity: 12 hex digits of SHA-256 over what the database holds:
/// the canonical CREATE script and the seed rows. Whitespace, comments, member
/// order that does not change the SQL, query attributes, [RenamedFrom] and [MigrateFrom] do not
/// change it; every change to a table, column, constraint, index, view or seed does.
/// </summary>
internal static class SchemaHash
{
    /// <summary>Length of the hash in file names.</summary>
    public const int Length = 12;

    /// <summary>The hash of a model.</summary>
    public static string Compute(SchemaModel model)
    {
        var text = new StringBuilder(Ddl.Script(model));
        foreach (var seed in model.Seeds)
        {
            text.Append("\n-- seed ").Append(seed.Table).Append('(').Append(string.Join(",", seed.Columns)).Append(")\n");
            foreach (var row in seed.Rows)
                text.Append(string.Join(",", row.Select(Canonical))).Append('\n');
        }
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(digest)[..Length];
    }

    private static string Canonical(object? value) => value switch
    {
        null => "N",
        long l => "I" + l.ToString(CultureInfo.InvariantCulture),
        double d => "R" + d.ToString("R", CultureInfo.InvariantCulture),
        string s => "T" + s.Length.ToString(CultureInfo.InvariantCulture) + ":" + s,
        byte[] b => "B" + Convert.ToHexString(b),
        _ => throw new ArgumentException($"Not a storage value: {value.GetType()}", nameof(value)),
    };
}
