using Mig.Schema;
using static Mig.CodeGen.QueryEmitter;

namespace Mig.CodeGen;

/// <summary>One column a property filters on or writes: its SQL, its name, and how to get its value.</summary>
internal sealed record FilterColumn(string Sql, string Column, SqlType Type, ValueKind Kind, bool NotNull, string Value);

/// <summary>
/// The select methods both tables and views get (SelectAll, SelectBy,
/// SelectOneBy, SelectLike). Subclasses say what a row is and how to read it.
/// </summary>
internal abstract class SelectEmitter(CodeWriter w, string clrType, List<GeneratedStatement> statements)
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

    /// <summary>
    /// Declares a SQL constant and returns its qualified name. The statement is also
    /// recorded with its parameters, so the build prepares the very text the code runs.
    /// </summary>
    protected string Sql(string name, string sql, StatementParameters parameters, string method, QueryModel? query)
    {
        constants.Add((name, sql));
        var constant = $"{Class}.{name}";
        statements.Add(new GeneratedStatement(clrType, method, constant, sql, parameters.Names, query));
        return constant;
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

    protected string SelectSql(IEnumerable<FilterColumn> filters, IReadOnlyList<OrderTerm> orderBy, bool like, bool limitOne, StatementParameters parameters)
    {
        var where = string.Join(" AND ", filters.Select(f => like ? Contains(f.Sql, parameters.Bind(f)) : Equal(f, parameters)));
        var order = string.Join(", ", orderBy
            .SelectMany(t => SelectColumns(t.Property).Select(c => c + (t.Descending ? " DESC" : " ASC"))));
        return SelectFrom + (where.Length > 0 ? " WHERE " + where : "") + (order.Length > 0 ? " ORDER BY " + order : "") + (limitOne ? " LIMIT 1" : "");
    }

    /// <summary><c>column = @p0</c>, or <c>IS</c> for a nullable column so that null finds NULL.</summary>
    protected static string Equal(FilterColumn f, StatementParameters parameters) =>
        $"{f.Sql} {(f.NotNull ? "=" : "IS")} {parameters.Bind(f)}";

    /// <summary>
    /// <c>column LIKE '%' || escaped || '%' ESCAPE '\'</c>, the value's <c>\</c>, <c>%</c> and
    /// <c>_</c> escaped inside the statement: [SelectLike] means "contains this text", so a
    /// search for "50%" finds only that, and the escaping costs the caller no string
    /// (SQLite computes the pattern once per statement, not per row).
    /// </summary>
    private static string Contains(string column, string parameter) =>
        $@"{column} LIKE '%' || replace(replace(replace({parameter}, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\'";

    private void EmitSelect(QueryModel q, IReadOnlyList<string> properties, bool many, bool like)
    {
        var name = QueryNames.MethodName(q);
        var argumentNames = ArgumentNames(properties);
        var filters = properties.SelectMany((p, i) => Filter(p, argumentNames[i], rootIsRow: false, qualified: true)).ToList();
        var parameters = new StatementParameters();
        var sql = Sql(name[..^"Async".Length] + "Sql", SelectSql(filters, q.OrderBy, like, limitOne: !many, parameters), parameters, name, q);
        var args = string.Concat(properties.Select((p, i) => $", {ArgumentType(p)} {argumentNames[i]}"));
        var result = many ? $"global::System.Collections.Generic.IReadOnlyList<{RowType}>" : RowType + "?";
        var t = Target;
        var what = properties.Count == 0 ? ""
            : like ? $" whose {properties[0]} contains the text (<c>%</c>, <c>_</c> and <c>\\</c> match themselves)"
            : " by " + string.Join(", ", properties);
        t.Line($"/// <summary>{(many ? "Rows" : "The first row")} of <see cref=\"{RowType}\"/>{what}; SQL: <see cref=\"{sql}\"/>.</summary>");
        t.Open($"public static {TaskOf(result)} {name}({TxnParam}{args}, {CtParam})");
        t.Open("try");
        t.Line("cancellationToken.ThrowIfCancellationRequested();");
        EmitCommand(sql, parameters);
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

    /// <summary>
    /// <c>var cmd = txn.Command(SQL, add the parameters once); cmd.Parameters[i].Value = ...;</c>
    /// Each parameter is commented with its column, since its name is only a position.
    /// </summary>
    protected void EmitCommand(string sqlConstant, StatementParameters parameters, string variable = "cmd")
    {
        var t = Target;
        var values = parameters.Values;
        if (values.Count == 0)
        {
            t.Line($"var {variable} = txn.Command({sqlConstant});");
            return;
        }
        t.Line($"var {variable} = txn.Command({sqlConstant}, static c =>");
        t.Line("{");
        for (var i = 0; i < values.Count; i++)
            t.Line($"    c.Parameters.Add({Literal(StatementParameters.Name(i))}, global::Microsoft.Data.Sqlite.SqliteType.{values[i].Type}); // {CommentText(values[i].Column)}");
        t.Line("});");
        for (var i = 0; i < values.Count; i++)
            t.Line($"{variable}.Parameters[{i}].Value = {ToDb(values[i].Kind, values[i].NotNull, values[i].Value)};");
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
