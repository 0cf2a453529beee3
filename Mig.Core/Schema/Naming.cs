using System.Text;

namespace Mig.Schema;

/// <summary>The naming rules of docs/dsl.md: C# names to snake_case SQL names.</summary>
internal static class Naming
{
    /// <summary>
    /// <c>CourseGrade</c> -> <c>course_grade</c>, <c>ISBN</c> -> <c>isbn</c>,
    /// <c>HTTPStatus</c> -> <c>http_status</c>, <c>Line2Text</c> -> <c>line2_text</c>.
    /// A word starts at an upper-case letter that follows a lower-case letter or
    /// digit, or that ends a run of capitals followed by a lower-case letter.
    /// </summary>
    public static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '_')
            {
                if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
                continue;
            }
            if (char.IsUpper(c) && sb.Length > 0 && sb[^1] != '_')
            {
                var prev = name[i - 1];
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(prev) || char.IsDigit(prev) || (char.IsUpper(prev) && nextIsLower))
                    sb.Append('_');
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString().TrimEnd('_');
    }

    /// <summary>Extension table name: base table, '_', case name in snake_case without a leading <c>With</c>.</summary>
    public static string ExtensionTable(string baseTable, string caseName)
    {
        var stem = caseName.StartsWith("With", StringComparison.Ordinal) && caseName.Length > 4 && char.IsUpper(caseName[4])
            ? caseName[4..]
            : caseName;
        return baseTable + "_" + ToSnakeCase(stem);
    }

    /// <summary>Index name: <c>ix_&lt;table&gt;_&lt;col1&gt;_&lt;col2&gt;</c>.</summary>
    public static string Index(string table, IEnumerable<string> columns) =>
        "ix_" + table + "_" + string.Join("_", columns);

    /// <summary>Partial unique index name: <c>ux_&lt;table&gt;_&lt;col1&gt;_&lt;col2&gt;</c>.</summary>
    public static string UniqueIndex(string table, IEnumerable<string> columns) =>
        "ux_" + table + "_" + string.Join("_", columns);

    /// <summary>
    /// True for a column named <c>rowid</c>: it would hide the table's rowid, which
    /// migrations copy and replay by. (<c>oid</c> and <c>_rowid_</c> would only hide
    /// those aliases, which Mig does not use.)
    /// </summary>
    public static bool HidesRowId(string column) => column.Equals("rowid", StringComparison.OrdinalIgnoreCase);
}
