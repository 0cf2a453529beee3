using System.Text;

namespace Mig.Schema;

/// <summary>
/// The SELECT text of a synthesised ([View] + [Join]) view. It is built here, in
/// Schema, because the model keeps every view as its SQL text (a [ViewSql] view has
/// nothing else), and DDL, the schema hash and the model JSON all read that text;
/// carrying the joins instead would change the model for one kind of view.
/// </summary>
internal sealed class ViewSqlBuilder
{
    private readonly StringBuilder from = new();
    private readonly List<string> select = [];

    /// <summary>The join condition of a foreign key: <c>"a"."x_id" = "b"."id" AND ...</c>.</summary>
    public static string On(string fromTable, ForeignKeyModel fk, string toTable) =>
        string.Join(" AND ", fk.Columns.Select((c, i) =>
            $"{SqlIdentifier.Quote(fromTable)}.{SqlIdentifier.Quote(c)} = {SqlIdentifier.Quote(toTable)}.{SqlIdentifier.Quote(fk.ReferencedColumns[i])}"));

    /// <summary>The first join: <c>FROM left JOIN right ON ...</c>.</summary>
    public void From(string left, string right, string on) =>
        from.Append("FROM ").Append(SqlIdentifier.Quote(left)).Append(" JOIN ").Append(SqlIdentifier.Quote(right)).Append(" ON ").Append(on);

    /// <summary>A later join, adding one table.</summary>
    public void Join(string table, string on) =>
        from.Append(" JOIN ").Append(SqlIdentifier.Quote(table)).Append(" ON ").Append(on);

    /// <summary>One selected column: <c>"table"."column" AS "alias"</c>.</summary>
    public void Column(string table, string column, string alias) =>
        select.Add($"{SqlIdentifier.Quote(table)}.{SqlIdentifier.Quote(column)} AS {SqlIdentifier.Quote(alias)}");

    /// <summary>The statement: the columns, a newline, the joins.</summary>
    public override string ToString() => "SELECT " + string.Join(", ", select) + "\n" + from;
}
