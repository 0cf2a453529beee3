using Mig.Schema;
using static Mig.CodeGen.QueryEmitter;

namespace Mig.CodeGen;

/// <summary>
/// The select methods both tables and views get (SelectAll, SelectBy,
/// SelectOneBy, SelectLike). Subclasses say what a row is and how to read it.
/// </summary>
internal abstract class SelectEmitter(CodeWriter w, string clrType, List<GeneratedStatement> statements, CompletedTasks completed)
{
    protected CodeWriter W { get; } = w;
    protected string RowType { get; } = TypeName(clrType);
    protected string Class { get; } = ClassName(clrType);
    private readonly List<(string Name, string Sql)> constants = [];
    private bool readsRows;

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
        // Read only in a class whose methods read rows: a table with nothing but writes has none.
        if (readsRows)
        {
            EmitRead();
            W.Line();
        }
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

    /// <summary><c>XQueries.Read(reader)</c>, which makes the class declare Read.</summary>
    protected string ReadCall(string reader)
    {
        readsRows = true;
        return $"{Class}.Read({reader})";
    }

    /// <summary>
    /// Opens a generated method: its doc comment, its signature, and its body as the static
    /// lambda that <see cref="CompletedTasks"/> runs at once, taking the method's own arguments.
    /// </summary>
    protected void OpenMethod(string summary, string? result, string name, IReadOnlyList<(string Type, string Name)> args)
    {
        var t = Target;
        var names = string.Concat(args.Select(a => ", " + a.Name));
        t.Line($"/// <summary>{summary}</summary>");
        var parameters = new List<string> { TxnParam };
        parameters.AddRange(args.Select(a => $"{a.Type} {a.Name}"));
        parameters.Add(CtParam);
        var head = $"public static {TaskOf(result)} {name}(";
        if (head.Length + parameters.Sum(p => p.Length + 2) <= LongLine)
        {
            t.Line($"{head}{string.Join(", ", parameters)}) =>");
        }
        else
        {
            // One parameter per line, as a reviewer would write a long signature by hand.
            t.Line(head);
            t.Indent();
            for (var i = 0; i < parameters.Count; i++)
                t.Line(parameters[i] + (i < parameters.Count - 1 ? "," : ") =>"));
            t.Outdent();
        }
        t.Indent();
        t.Open($"{completed.Run(args.Count, result is not null)}(txn{names}, cancellationToken, static {(result is null ? "" : result + " ")}(txn{names}) =>");
    }

    /// <summary>Closes what <see cref="OpenMethod"/> opened.</summary>
    protected void CloseMethod()
    {
        Target.Close(");");
        Target.Outdent();
        Target.Line();
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
        var result = many ? $"global::System.Collections.Generic.IReadOnlyList<{RowType}>" : RowType + "?";
        var what = properties.Count == 0 ? ""
            : like ? $" whose {properties[0]} contains the text (<c>%</c>, <c>_</c> and <c>\\</c> match themselves)"
            : " by " + string.Join(", ", properties);
        OpenMethod($"{(many ? "Rows" : "The first row")} of <see cref=\"{RowType}\"/>{what}; SQL: <see cref=\"{sql}\"/>.", result, name,
            [.. properties.Select((p, i) => (ArgumentType(p), argumentNames[i]))]);
        var t = Target;
        EmitCommand(sql, parameters);
        t.Line("using var r = cmd.ExecuteReader();");
        if (many)
        {
            t.Line($"var list = new global::System.Collections.Generic.List<{RowType}>();");
            t.Line($"while (r.Read()) list.Add({ReadCall("r")});");
            t.Line("return list;");
        }
        else
        {
            t.Line($"return r.Read() ? {ReadCall("r")} : null;");
        }
        CloseMethod();
    }

    protected const string TxnParam = "global::Mig.MigTransaction txn";
    /// <summary>A signature longer than this is written one parameter per line.</summary>
    private const int LongLine = 120;
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

}
