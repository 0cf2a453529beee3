using Mig.Schema;
using Mig.Sql;
using static Mig.CodeGen.QueryEmitter;

namespace Mig.CodeGen;

/// <summary>One column a property filters on: its SQL, its parameter, and how to get its value.</summary>
internal sealed record FilterColumn(string Sql, string Parameter, SqlType Type, ValueKind Kind, bool NotNull, string Value);

/// <summary>
/// The select methods both tables and views get (SelectAll, SelectBy,
/// SelectOneBy, SelectLike). Subclasses say what a row is and how to read it.
/// </summary>
internal abstract class SelectEmitter(CodeWriter w, string clrType)
{
    protected CodeWriter W { get; } = w;
    protected string RowType { get; } = TypeName(clrType);
    protected string Class { get; } = ClassName(clrType);
    private readonly List<(string Name, string Sql)> constants = [];

    /// <summary>The SELECT up to and excluding WHERE.</summary>
    protected abstract string SelectFrom { get; }

    /// <summary>The SQL of a property's columns for WHERE/ORDER BY in a select.</summary>
    protected abstract IReadOnlyList<string> SelectColumns(string property);

    /// <summary>The columns a property filters on, with values taken from <paramref name="root"/> (an argument or the row).</summary>
    protected abstract IReadOnlyList<FilterColumn> Filter(string property, string root, bool rootIsRow, bool qualified);

    /// <summary>The C# type of an argument for a property.</summary>
    protected abstract string ArgumentType(string property);

    /// <summary>Writes <c>private static T Read(SqliteDataReader r)</c>.</summary>
    protected abstract void EmitRead();

    /// <summary>Writes the members inside the extension block.</summary>
    protected abstract void EmitMethods();

    public void Emit()
    {
        var body = new CodeWriter();
        var outer = W;
        // Methods first into a scratch writer, so the SQL constants they declare
        // can be written above them.
        Target = body;
        EmitMethods();
        Target = outer;
        W.Line($"/// <summary>Generated queries of <see cref=\"{RowType}\"/>.</summary>");
        W.Open($"public static class {Class}");
        foreach (var (name, sql) in constants)
        {
            W.Line($"/// <summary><code>{Doc(sql)}</code></summary>");
            W.Line($"public const string {name} = {Literal(sql)};");
            W.Line();
        }
        EmitRead();
        W.Line();
        W.Open($"extension({RowType})");
        foreach (var line in body.ToString().TrimEnd('\n').Split('\n')) W.Line(line);
        W.Close();
        W.Close();
    }

    /// <summary>Where methods are being written (the scratch writer while emitting methods).</summary>
    protected CodeWriter Target { get; private set; } = w;

    /// <summary>Declares a SQL constant and returns its qualified name.</summary>
    protected string Sql(string name, string sql)
    {
        constants.Add((name, sql));
        return $"{Class}.{name}";
    }

    protected void EmitSelects(IReadOnlyList<QueryModel> queries)
    {
        foreach (var q in queries)
        {
            switch (q.Kind)
            {
                case QueryKind.SelectAll: EmitSelect(q, [], many: true, like: false); break;
                case QueryKind.SelectBy: EmitSelect(q, q.Properties, many: true, like: false); break;
                case QueryKind.SelectOneBy: EmitSelect(q, q.Properties, many: false, like: false); break;
                case QueryKind.SelectLike: EmitSelect(q, q.Properties, many: true, like: true); break;
            }
        }
    }

    protected string SelectSql(IEnumerable<FilterColumn> filters, string? orderBy, bool like, bool limitOne)
    {
        var where = string.Join(" AND ", filters.Select(f =>
            like ? $"{f.Sql} LIKE '%' || {f.Parameter} || '%'"
                 : f.NotNull ? $"{f.Sql} = {f.Parameter}" : $"{f.Sql} IS {f.Parameter}"));
        var order = string.Join(", ", QueryNames.OrderTerms(orderBy)
            .SelectMany(t => SelectColumns(t.Property).Select(c => c + (t.Descending ? " DESC" : " ASC"))));
        return SelectFrom + (where.Length > 0 ? " WHERE " + where : "") + (order.Length > 0 ? " ORDER BY " + order : "") + (limitOne ? " LIMIT 1" : "");
    }

    private void EmitSelect(QueryModel q, IReadOnlyList<string> properties, bool many, bool like)
    {
        var name = QueryNames.MethodName(q);
        var filters = properties.SelectMany(p => Filter(p, ArgumentName(p), rootIsRow: false, qualified: true)).ToList();
        var sql = Sql(name[..^"Async".Length] + "Sql", SelectSql(filters, q.OrderBy, like, limitOne: !many));
        var args = string.Concat(properties.Select(p => $", {ArgumentType(p)} {ArgumentName(p)}"));
        var result = many ? $"global::System.Collections.Generic.IReadOnlyList<{RowType}>" : RowType + "?";
        var t = Target;
        t.Line($"/// <summary>{(many ? "Rows" : "The first row")} of <see cref=\"{RowType}\"/>{(properties.Count > 0 ? (like ? " whose " + properties[0] + " contains the text" : " by " + string.Join(", ", properties)) : "")}; SQL: <see cref=\"{sql}\"/>.</summary>");
        t.Open($"public static {TaskOf(result)} {name}({TxnParam}{args}, {CtParam})");
        t.Open("try");
        t.Line("cancellationToken.ThrowIfCancellationRequested();");
        EmitCommand(sql, filters);
        t.Line("using var r = cmd.ExecuteReader();");
        if (many)
        {
            t.Line($"var list = new global::System.Collections.Generic.List<{RowType}>();");
            t.Line($"while (r.Read()) list.Add({Class}.Read(r));");
            t.Line($"return global::System.Threading.Tasks.Task.FromResult<{result}>(list);");
        }
        else
        {
            t.Line($"return global::System.Threading.Tasks.Task.FromResult<{result}>(r.Read() ? {Class}.Read(r) : null);");
        }
        EmitCatch(result);
        t.Close();
        t.Line();
    }

    protected const string TxnParam = "global::Mig.MigTransaction txn";
    protected const string CtParam = "global::System.Threading.CancellationToken cancellationToken = default";

    protected static string TaskOf(string? result) =>
        result is null ? "global::System.Threading.Tasks.Task" : $"global::System.Threading.Tasks.Task<{result}>";

    /// <summary><c>var cmd = txn.Command(SQL, parameters...); cmd.Parameters[i].Value = ...;</c></summary>
    protected void EmitCommand(string sqlConstant, IReadOnlyList<FilterColumn> parameters, string variable = "cmd")
    {
        var t = Target;
        var distinct = parameters.DistinctBy(p => p.Parameter).ToList();
        if (distinct.Count == 0)
        {
            t.Line($"var {variable} = txn.Command({sqlConstant});");
            return;
        }
        t.Line($"var {variable} = txn.Command({sqlConstant}, static c =>");
        t.Line("{");
        foreach (var p in distinct)
            t.Line($"    c.Parameters.Add({Literal(p.Parameter)}, global::Microsoft.Data.Sqlite.SqliteType.{p.Type});");
        t.Line("});");
        for (var i = 0; i < distinct.Count; i++)
            t.Line($"{variable}.Parameters[{i}].Value = {ToDb(distinct[i].Kind, distinct[i].NotNull, distinct[i].Value)};");
    }

    protected void EmitCatch(string? result)
    {
        var t = Target;
        t.Close();
        t.Open("catch (global::System.Exception e)");
        t.Line(result is null
            ? "return global::System.Threading.Tasks.Task.FromException(e);"
            : $"return global::System.Threading.Tasks.Task.FromException<{result}>(e);");
        t.Close();
    }
}
