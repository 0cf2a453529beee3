using Mig.Schema;
using static Mig.CodeGen.QueryEmitter;

namespace Mig.CodeGen;

/// <summary>
/// The read methods both tables and views get (CountAsync, SelectAll, SelectBy,
/// SelectOneBy, SelectLike, CountBy, SelectPage, SelectRange, SelectIn). Subclasses say
/// what a row is and how to read it.
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

    /// <summary><c>SELECT count(*) FROM t</c>: a count reads the table or view alone, whatever a select joins.</summary>
    protected abstract string CountFrom { get; }

    /// <summary>The SQL of a property's columns for WHERE/ORDER BY in a select.</summary>
    protected abstract IReadOnlyList<string> SelectColumns(string property);

    /// <summary>The columns a property filters on, with values taken from <paramref name="root"/> (an argument or the row).</summary>
    protected abstract IReadOnlyList<FilterColumn> Filter(string property, string root, bool rootIsRow, bool qualified);

    /// <summary>The C# type of an argument for a property.</summary>
    protected abstract string ArgumentType(string property);

    /// <summary>The C# type of a property's value column, never nullable: a range's bounds, a page's key (made nullable).</summary>
    protected abstract string ValueArgumentType(string property);

    /// <summary>
    /// A [SelectIn] list element: its C# type and the expression of its stored value from <c>v</c>
    /// (<c>v</c>, <c>(long)v</c> for an enum, <c>v.Id</c> for a referenced record).
    /// </summary>
    protected abstract (string Type, string Value) ListElement(string property);

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
    /// lambda that <see cref="CompletedTasks"/> runs at once, taking the method's own arguments
    /// (and, with <paramref name="passToken"/>, the token as its last one, to observe it while it
    /// runs, not only before).
    /// </summary>
    protected void OpenMethod(string summary, string? result, string name, IReadOnlyList<(string Type, string Name)> args, bool passToken = false)
    {
        var t = Target;
        var names = string.Concat(args.Select(a => ", " + a.Name)) + (passToken ? ", cancellationToken" : "");
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
        t.Open($"{completed.Run(args.Count + (passToken ? 1 : 0), result is not null)}(txn{names}, cancellationToken, static {(result is null ? "" : result + " ")}(txn{names}) =>");
    }

    /// <summary>Closes what <see cref="OpenMethod"/> opened.</summary>
    protected void CloseMethod()
    {
        Target.Close(");");
        Target.Outdent();
        Target.Line();
    }

    /// <summary>The count every table and view gets, then the read methods its attributes ask for.</summary>
    protected void EmitSelects(IReadOnlyList<QueryModel> queries)
    {
        EmitCount(null);
        foreach (var q in queries)
        {
            switch (q.Kind)
            {
                case QueryKind.SelectAll: EmitSelect(q, [], many: true, like: false); break;
                case QueryKind.SelectBy: EmitSelect(q, q.Properties, many: true, like: false); break;
                case QueryKind.SelectOneBy: EmitSelect(q, q.Properties, many: false, like: false); break;
                case QueryKind.SelectLike: EmitSelect(q, q.Properties, many: true, like: true); break;
                case QueryKind.CountBy: EmitCount(q); break;
                case QueryKind.SelectPage: EmitPage(q); break;
                case QueryKind.SelectRange: EmitRange(q); break;
                case QueryKind.SelectIn: EmitIn(q); break;
            }
        }
    }

    protected string SelectSql(IEnumerable<FilterColumn> filters, IReadOnlyList<OrderTerm> orderBy, bool like, bool limitOne, StatementParameters parameters)
    {
        var where = string.Join(" AND ", filters.Select(f => like ? Contains(f.Sql, parameters.Bind(f)) : Equal(f, parameters)));
        return SelectFrom + (where.Length > 0 ? " WHERE " + where : "") + OrderClause(orderBy) + (limitOne ? " LIMIT 1" : "");
    }

    /// <summary><c> ORDER BY t0.a DESC, t0.b ASC</c>, or nothing for no terms.</summary>
    private string OrderClause(IReadOnlyList<OrderTerm> orderBy)
    {
        var order = string.Join(", ", orderBy
            .SelectMany(t => SelectColumns(t.Property).Select(c => c + (t.Descending ? " DESC" : " ASC"))));
        return order.Length > 0 ? " ORDER BY " + order : "";
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
        if (many)
        {
            EmitReadList();
        }
        else
        {
            t.Line("using var r = cmd.ExecuteReader();");
            t.Line($"return r.Read() ? {ReadCall("r")} : null;");
        }
        CloseMethod();
    }

    /// <summary><c>CountAsync</c> (<paramref name="q"/> null) or a [CountBy]: <c>SELECT count(*)</c> of the table or view alone.</summary>
    private void EmitCount(QueryModel? q)
    {
        var properties = q?.Properties ?? [];
        var name = q is null ? QueryNames.Count : QueryNames.MethodName(q);
        var argumentNames = ArgumentNames(properties);
        var filters = properties.SelectMany((p, i) => Filter(p, argumentNames[i], rootIsRow: false, qualified: false)).ToList();
        var parameters = new StatementParameters();
        var where = string.Join(" AND ", filters.Select(f => Equal(f, parameters)));
        var sql = Sql(name[..^"Async".Length] + "Sql", CountFrom + (where.Length > 0 ? " WHERE " + where : ""), parameters, name, q);
        var what = properties.Count == 0 ? "" : " with the given " + string.Join(", ", properties);
        OpenMethod($"How many rows of <see cref=\"{RowType}\"/>{what}; SQL: <see cref=\"{sql}\"/>.", "long", name,
            [.. properties.Select((p, i) => (ArgumentType(p), argumentNames[i]))]);
        EmitCommand(sql, parameters);
        Target.Line("return (long)cmd.ExecuteScalar()!;");
        CloseMethod();
    }

    /// <summary>
    /// A [SelectPage]: keyset paging by a unique key, never OFFSET. Two statements, each prepared
    /// once: the first page (<c>ORDER BY key LIMIT n</c>) and the pages after a key
    /// (<c>WHERE key &gt; @p0 ORDER BY key LIMIT n</c>), so each one searches the key's index from
    /// where the page starts (one statement with <c>@p0 IS NULL OR key &gt; @p0</c> makes SQLite scan from the first row).
    /// </summary>
    private void EmitPage(QueryModel q)
    {
        var name = QueryNames.MethodName(q);
        var stem = name[..^"Async".Length];
        var property = q.Properties[0];
        var key = SelectColumns(property)[0];
        var descending = q.OrderBy.Count > 0 && q.OrderBy[0].Descending;
        var order = $" ORDER BY {key} {(descending ? "DESC" : "ASC")} LIMIT ";
        var limit = new FilterColumn("LIMIT", "LIMIT", SqlType.Integer, ValueKind.Int32, NotNull: true, "limit");
        var firstParameters = new StatementParameters();
        var first = Sql(stem + "FirstSql", SelectFrom + order + firstParameters.Bind(limit), firstParameters, name, q);
        var after = Filter(property, "after", rootIsRow: false, qualified: true)[0] with { NotNull = false };
        var nextParameters = new StatementParameters();
        var next = Sql(stem + "Sql", $"{SelectFrom} WHERE {key} {(descending ? "<" : ">")} {nextParameters.Bind(after)}{order}{nextParameters.Bind(limit)}", nextParameters, name, q);
        var keyType = ValueArgumentType(property) + "?";
        OpenMethod($"At most <paramref name=\"limit\"/> rows of <see cref=\"{RowType}\"/> after the key <paramref name=\"after\"/> in {property} order{(descending ? " (descending)" : "")}; " +
            $"null starts at the first row, and the last row's {property} asks for the next page. SQL: <see cref=\"{first}\"/>, <see cref=\"{next}\"/>.",
            ListOf, name, [(keyType, "after"), ("int", "limit")]);
        var t = Target;
        t.Line("global::System.ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);");
        t.Line("global::Microsoft.Data.Sqlite.SqliteCommand cmd;");
        t.Open("if (after is null)");
        EmitCommand(first, firstParameters, declare: false);
        t.Close();
        t.Open("else");
        EmitCommand(next, nextParameters, declare: false);
        t.Close();
        EmitReadList();
        CloseMethod();
    }

    /// <summary>
    /// A [SelectRange]: <c>WHERE c BETWEEN @p0 AND @p1</c>, both included, in the column's order unless
    /// OrderBy says otherwise. The reflector lets only kinds through whose stored form orders like the
    /// value; a DateTime binds bounds that take in every Kind at the bound's ticks, as DateTime compares.
    /// </summary>
    private void EmitRange(QueryModel q)
    {
        var name = QueryNames.MethodName(q);
        var property = q.Properties[0];
        FilterColumn Bound(string argument, string dateTimeForm)
        {
            var f = Filter(property, argument, rootIsRow: false, qualified: true)[0] with { NotNull = true };
            return f.Kind == ValueKind.DateTime ? f with { Bound = $"global::Mig.MigValue.{dateTimeForm}({argument})" } : f;
        }
        var from = Bound("from", "ToDbRangeStart");
        var to = Bound("to", "ToDbRangeEnd");
        var parameters = new StatementParameters();
        var where = $" WHERE {from.Sql} BETWEEN {parameters.Bind(from)} AND {parameters.Bind(to)}";
        var order = OrderClause(q.OrderBy.Count > 0 ? q.OrderBy : [new OrderTerm(property, Descending: false)]);
        var sql = Sql(name[..^"Async".Length] + "Sql", SelectFrom + where + order, parameters, name, q);
        var type = ValueArgumentType(property);
        OpenMethod($"Rows of <see cref=\"{RowType}\"/> whose {property} is from <paramref name=\"from\"/> to <paramref name=\"to\"/>, both included; SQL: <see cref=\"{sql}\"/>.",
            ListOf, name, [(type, "from"), (type, "to")]);
        EmitCommand(sql, parameters);
        EmitReadList();
        CloseMethod();
    }

    // Names the body of a [SelectIn] method uses besides the shared ones.
    private static readonly HashSet<string> ListBodyNames = ["v", "values"];

    /// <summary>
    /// A [SelectIn]: <c>WHERE c IN (SELECT value FROM json_each(@p0))</c>, the list bound as one JSON
    /// array (the runtime's <c>MigValueList</c>), so one prepared statement serves a list of any length; an
    /// empty list returns no rows without running it.
    /// </summary>
    private void EmitIn(QueryModel q)
    {
        var name = QueryNames.MethodName(q);
        var property = q.Properties[0];
        var argument = ListArgumentName(property);
        var column = Filter(property, "v", rootIsRow: false, qualified: true)[0];
        var list = new FilterColumn(column.Sql, column.Column, SqlType.Text, ValueKind.String, NotNull: true, "values") { Bound = "values.ToDb()" };
        var parameters = new StatementParameters();
        // A BLOB travels as hex text and is made a BLOB again inside the statement.
        var value = column.Type == SqlType.Blob ? "unhex(value)" : "value";
        var where = $" WHERE {column.Sql} IN (SELECT {value} FROM json_each({parameters.Bind(list)}))";
        var sql = Sql(name[..^"Async".Length] + "Sql", SelectFrom + where + OrderClause(q.OrderBy), parameters, name, q);
        var (elementType, element) = ListElement(property);
        OpenMethod($"Rows of <see cref=\"{RowType}\"/> whose {property} is one of <paramref name=\"{argument}\"/> (none for an empty list); SQL: <see cref=\"{sql}\"/>.",
            ListOf, name, [($"global::System.Collections.Generic.IReadOnlyCollection<{elementType}>", argument)]);
        var t = Target;
        t.Line($"global::System.ArgumentNullException.ThrowIfNull({argument});");
        t.Line($"if ({argument}.Count == 0) return global::System.Array.Empty<{RowType}>();");
        t.Line($"var values = new global::Mig.MigValueList({argument}.Count);");
        t.Line($"foreach (var v in {argument}) values.Add({element});");
        EmitCommand(sql, parameters);
        EmitReadList();
        CloseMethod();
    }

    /// <summary>The plural parameter name of a [SelectIn] list: <c>ids</c>, <c>statuses</c>, <c>categories</c>.</summary>
    internal static string ListArgumentName(string property)
    {
        var name = char.ToLowerInvariant(property[0]) + property[1..];
        var vowels = "aeiou";
        name = name.EndsWith('s') || name.EndsWith('x') || name.EndsWith('z') || name.EndsWith("ch", StringComparison.Ordinal) || name.EndsWith("sh", StringComparison.Ordinal) ? name + "es"
            : name.Length > 1 && name.EndsWith('y') && !vowels.Contains(name[^2], StringComparison.Ordinal) ? name[..^1] + "ies"
            : name + "s";
        // A name the body uses, a keyword (params) or a name every method reserves gets a suffix.
        if (ListBodyNames.Contains(name) || ArgumentNames([name])[0] != name) name += "List";
        return name;
    }

    private string ListOf => $"global::System.Collections.Generic.IReadOnlyList<{RowType}>";

    /// <summary>Runs <c>cmd</c> and returns its rows as a list.</summary>
    private void EmitReadList()
    {
        var t = Target;
        t.Line("using var r = cmd.ExecuteReader();");
        t.Line($"var list = new global::System.Collections.Generic.List<{RowType}>();");
        t.Line($"while (r.Read()) list.Add({ReadCall("r")});");
        t.Line("return list;");
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
    /// <paramref name="declare"/> false assigns a variable declared before.
    /// </summary>
    protected void EmitCommand(string sqlConstant, StatementParameters parameters, string variable = "cmd", bool declare = true)
    {
        EmitCreateCommand(sqlConstant, parameters, variable, declare);
        EmitBind(parameters, variable);
    }

    /// <summary><c>var cmd = txn.Command(SQL, add the parameters once);</c></summary>
    protected void EmitCreateCommand(string sqlConstant, StatementParameters parameters, string variable = "cmd", bool declare = true)
    {
        var t = Target;
        var values = parameters.Values;
        var assign = (declare ? "var " : "") + variable;
        if (values.Count == 0)
        {
            t.Line($"{assign} = txn.Command({sqlConstant});");
            return;
        }
        t.Line($"{assign} = txn.Command({sqlConstant}, static c =>");
        t.Line("{");
        for (var i = 0; i < values.Count; i++)
            t.Line($"    c.Parameters.Add({Literal(StatementParameters.Name(i))}, global::Microsoft.Data.Sqlite.SqliteType.{values[i].Type}); // {CommentText(values[i].Column)}");
        t.Line("});");
    }

    /// <summary><c>cmd.Parameters[i].Value = ...;</c> for each value.</summary>
    protected void EmitBind(StatementParameters parameters, string variable = "cmd")
    {
        var values = parameters.Values;
        for (var i = 0; i < values.Count; i++)
            Target.Line($"{variable}.Parameters[{i}].Value = {values[i].Bound ?? ToDb(values[i].Kind, values[i].NotNull, values[i].Value)};");
    }
}
