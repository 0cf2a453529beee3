namespace Mig.Migration;

/// <summary>
/// The condition of a partial index, read from its <c>CREATE INDEX</c> text as SQLite stores it: what follows
/// the first <c>WHERE</c> outside quotes, brackets, comments and parentheses. SQLite has no pragma for it.
/// </summary>
internal static class IndexCondition
{
    /// <summary>The condition's SQL, or null when the index has none.</summary>
    public static string? Of(string createIndex)
    {
        var depth = 0;
        for (var i = 0; i < createIndex.Length; i++)
        {
            var ch = createIndex[i];
            switch (ch)
            {
                case '\'' or '"' or '`':
                    i = Closing(createIndex, i, ch);
                    break;
                case '[':
                    i = Closing(createIndex, i, ']');
                    break;
                case '-' when At(createIndex, i, "--"):
                    i = createIndex.IndexOf('\n', i) is var end and >= 0 ? end : createIndex.Length;
                    break;
                case '/' when At(createIndex, i, "/*"):
                    i = createIndex.IndexOf("*/", i + 2, StringComparison.Ordinal) is var close and >= 0 ? close + 1 : createIndex.Length;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                default:
                    if (depth == 0 && IsWord(createIndex, i, "WHERE")) return createIndex[(i + 5)..].Trim();
                    break;
            }
        }
        return null;
    }

    /// <summary>The index of the quote that closes the one at <paramref name="open"/> (a doubled quote is part of the text).</summary>
    private static int Closing(string sql, int open, char quote)
    {
        for (var i = open + 1; i < sql.Length; i++)
        {
            if (sql[i] != quote) continue;
            if (quote != ']' && i + 1 < sql.Length && sql[i + 1] == quote) { i++; continue; }
            return i;
        }
        return sql.Length;
    }

    private static bool At(string sql, int i, string text) => string.CompareOrdinal(sql, i, text, 0, text.Length) == 0;

    private static bool IsWord(string sql, int i, string word) =>
        i + word.Length <= sql.Length && string.Compare(sql, i, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0
        && (i == 0 || !IsIdentifierChar(sql[i - 1])) && (i + word.Length == sql.Length || !IsIdentifierChar(sql[i + word.Length]));

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$' || c > 127;
}
