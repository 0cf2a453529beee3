using Mig.Schema;
using static Mig.CodeGen.QueryEmitter;

namespace Mig.CodeGen;

/// <summary>
/// The methods of a table: the insert every table gets, the selects (reading
/// whole records along embedded foreign keys in one joined query) and the
/// writes, which take a referenced row's key from the record
/// (<c>course.Student.Id</c>).
/// </summary>
internal sealed class TableEmitter(CodeWriter w, SchemaModel model, TableModel table, List<GeneratedStatement> statements, CompletedTasks completed)
    : SelectEmitter(w, table.ClrType, statements, completed)
{
    private readonly ReadPlan plan = new(model, table);

    protected override string SelectFrom => $"SELECT {plan.SelectList} FROM {plan.FromClause}";

    protected override string CountFrom => $"SELECT count(*) FROM {SqlIdentifier.Quote(table.Name)}";

    private IEnumerable<ColumnModel> ColumnsOf(string property) => table.Columns.Where(c => c.Property == property);

    protected override IReadOnlyList<string> SelectColumns(string property) =>
        [.. ColumnsOf(property).Select(c => plan.RootColumn(c.Name))];

    protected override IReadOnlyList<FilterColumn> Filter(string property, string root, bool rootIsRow, bool qualified) =>
        [.. ColumnsOf(property).Select(c =>
        {
            // From the row: row.Course.Student.Id; from an argument holding the property's value: student.Id.
            var (expr, notNull) = rootIsRow ? Access(root, false, table, c) : AccessFromProperty(root, c);
            return new FilterColumn(qualified ? plan.RootColumn(c.Name) : SqlIdentifier.Quote(c.Name), c.Name, c.Type, c.Kind, notNull, expr);
        })];

    protected override string ArgumentType(string property)
    {
        var columns = ColumnsOf(property).ToList();
        var fk = table.ForeignKeys.FirstOrDefault(f => f.Property == property && f.Embedded);
        if (fk is null) return ValueType(columns[0].Kind, columns[0].ClrType, columns[0].NotNull);
        var target = model.FindTable(fk.ReferencedTable)!;
        return TypeName(target.ClrType) + (columns[0].NotNull ? "" : "?");
    }

    protected override string ValueArgumentType(string property)
    {
        var c = ColumnsOf(property).First();
        return ValueType(c.Kind, c.ClrType, notNull: true);
    }

    protected override (string Type, string Value) ListElement(string property)
    {
        var c = ColumnsOf(property).Single();
        var fk = table.ForeignKeys.FirstOrDefault(f => f.Property == property && f.Embedded);
        if (fk is null) return (ValueType(c.Kind, c.ClrType, notNull: true), ListValue(c.Kind));
        // A referenced record: its key, followed down to the value when the key is itself a reference.
        var target = model.FindTable(fk.ReferencedTable)!;
        return (TypeName(target.ClrType), Access("v", false, target, target.FindColumn(c.ReferencedColumn!)!).Expr);
    }

    /// <summary>The value of a column reached from <paramref name="root"/>, following embedded references to the key.</summary>
    private (string Expr, bool NotNull) Access(string root, bool rootNullable, TableModel owner, ColumnModel column)
    {
        var expr = root + (rootNullable ? "?." : ".") + Member(column.Property);
        if (column.ReferencedColumn is null) return (expr, !rootNullable && column.NotNull);
        var fk = owner.ForeignKeys.First(f => f.Embedded && f.Columns.Contains(column.Name));
        var target = model.FindTable(fk.ReferencedTable)!;
        return Access(expr, rootNullable || !column.NotNull, target, target.FindColumn(column.ReferencedColumn)!);
    }

    private (string Expr, bool NotNull) AccessFromProperty(string argument, ColumnModel column)
    {
        if (column.ReferencedColumn is null) return (argument, column.NotNull);
        var fk = table.ForeignKeys.First(f => f.Embedded && f.Columns.Contains(column.Name));
        var target = model.FindTable(fk.ReferencedTable)!;
        return Access(argument, !column.NotNull, target, target.FindColumn(column.ReferencedColumn)!);
    }

    private IReadOnlyList<FilterColumn> RowValues(IEnumerable<ColumnModel> columns) =>
        [.. columns.Select(c =>
        {
            var (expr, notNull) = Access("row", false, table, c);
            return new FilterColumn(SqlIdentifier.Quote(c.Name), c.Name, c.Type, c.Kind, notNull, expr);
        })];

    private bool IsAutoKey(ColumnModel c) => table.AutoIncrement && c.Name == table.PrimaryKey[0];

    protected override void EmitRead()
    {
        W.Open($"private static {RowType} Read(global::Microsoft.Data.Sqlite.SqliteDataReader r)");
        foreach (var line in Construction.Suffixed(Construction.Prefixed("return ", Materialize(plan.Root)), ";")) W.Line(line);
        W.Close();
    }

    private IReadOnlyList<string> Materialize(ReadPlan.Node node)
    {
        var values = new List<(string Property, IReadOnlyList<string> Expr)>();
        foreach (var property in node.Table.Columns.Select(c => c.Property).Distinct())
        {
            if (node.Values.TryGetValue(property, out var v))
            {
                values.Add((property, [ReadExpression(v.Column.Kind, v.Column.ClrType, v.Column.NotNull, v.Index)]));
                continue;
            }
            var (child, nullable) = node.Children[property];
            var make = Materialize(child);
            values.Add((property, nullable ? Construction.Prefixed($"r.IsDBNull({child.KeyIndex()}) ? null : ", make) : make));
        }
        return Construction.New(TypeName(node.Table.ClrType), node.Table.ConstructorProperties, values);
    }

    protected override void EmitMethods()
    {
        var insertColumns = table.Columns.Where(c => !IsAutoKey(c)).ToList();
        var insertParameters = new StatementParameters();
        var insertSql = Sql("InsertSql", InsertStatement("INSERT", insertColumns, insertParameters), insertParameters, QueryNames.Insert, null);
        EmitInsert(insertSql, insertParameters);
        EmitInsertMany(insertSql, insertParameters);
        EmitSelects(table.Queries);
        foreach (var q in table.Queries)
        {
            switch (q.Kind)
            {
                case QueryKind.InsertOrIgnore: EmitInsertOrIgnore(q, insertColumns); break;
                case QueryKind.SelectByOrInsert: EmitSelectByOrInsert(q, insertSql, insertParameters); break;
                case QueryKind.UpdateBy: EmitUpdateBy(q); break;
                case QueryKind.DeleteBy: EmitDeleteBy(q); break;
                case QueryKind.Upsert: EmitUpsert(q); break;
            }
        }
    }

    /// <summary>
    /// <c>INSERT INTO t(a, b) VALUES (@p0, @p1)</c>; a table of nothing but its AUTOINCREMENT
    /// key has no value to give, and <c>INSERT INTO t() VALUES ()</c> is no SQL, so it
    /// inserts <c>DEFAULT VALUES</c>.
    /// </summary>
    private string InsertStatement(string verb, IReadOnlyList<ColumnModel> columns, StatementParameters parameters)
    {
        if (columns.Count == 0) return $"{verb} INTO {SqlIdentifier.Quote(table.Name)} DEFAULT VALUES";
        var values = string.Join(", ", RowValues(columns).Select(parameters.Bind));
        return $"{verb} INTO {SqlIdentifier.Quote(table.Name)}({SqlIdentifier.List(columns.Select(c => c.Name))}) VALUES ({values})";
    }

    private void Header(string summary, string sqlConstant, string? result, string name, IReadOnlyList<(string Type, string Name)> args) =>
        OpenMethod($"{summary}; SQL: <see cref=\"{sqlConstant}\"/>.", result, name, args);

    private IReadOnlyList<(string Type, string Name)> RowArgument => [(RowType, "row")];

    private void EmitInsert(string sql, StatementParameters parameters)
    {
        Header($"Inserts a row and returns its rowid{(table.AutoIncrement ? " (the new key; the record's key is ignored)" : "")}", sql, "long", QueryNames.Insert, RowArgument);
        EmitCommand(sql, parameters);
        Target.Line("cmd.ExecuteNonQuery();");
        Target.Line("return global::Mig.MigValue.LastInsertRowId(txn);");
        CloseMethod();
    }

    /// <summary>
    /// Inserts every row through the insert's own prepared statement: the parameters are added once
    /// and only their values change per row. The token is observed before each row, so a long insert
    /// can be cancelled (the transaction then rolls back).
    /// </summary>
    private void EmitInsertMany(string sql, StatementParameters parameters)
    {
        OpenMethod($"Inserts the rows with one prepared statement, the one {QueryNames.Insert} runs, and returns how many{(table.AutoIncrement ? " (each row gets a new key; the records' keys are ignored)" : "")}; SQL: <see cref=\"{sql}\"/>.",
            "int", QueryNames.InsertMany, [($"global::System.Collections.Generic.IEnumerable<{RowType}>", "rows")], passToken: true);
        var t = Target;
        t.Line("global::System.ArgumentNullException.ThrowIfNull(rows);");
        EmitCreateCommand(sql, parameters);
        t.Line("var count = 0;");
        t.Open("foreach (var row in rows)");
        t.Line("cancellationToken.ThrowIfCancellationRequested();");
        EmitBind(parameters);
        t.Line("cmd.ExecuteNonQuery();");
        t.Line("count++;");
        t.Close();
        t.Line("return count;");
        CloseMethod();
    }

    private void EmitInsertOrIgnore(QueryModel q, IReadOnlyList<ColumnModel> columns)
    {
        var parameters = new StatementParameters();
        var name = QueryNames.MethodName(q);
        var sql = Sql("InsertOrIgnoreSql", InsertStatement("INSERT OR IGNORE", columns, parameters), parameters, name, q);
        Header("Inserts a row unless it breaks a unique constraint; returns its rowid, or null when ignored", sql, "long?", name, RowArgument);
        EmitCommand(sql, parameters);
        Target.Line("var affected = cmd.ExecuteNonQuery();");
        Target.Line("return affected == 0 ? null : global::Mig.MigValue.LastInsertRowId(txn);");
        CloseMethod();
    }

    private void EmitSelectByOrInsert(QueryModel q, string insertSql, StatementParameters insertParameters)
    {
        var name = QueryNames.MethodName(q);
        var filters = q.Properties.SelectMany(p => Filter(p, "row", rootIsRow: true, qualified: true)).ToList();
        var parameters = new StatementParameters();
        var select = Sql(name[..^"Async".Length] + "SelectSql", SelectSql(filters, [], like: false, limitOne: true, parameters), parameters, name, q);
        Header($"The stored row with the same {string.Join(", ", q.Properties)} as <paramref name=\"row\"/>, inserted first when there is none", select, RowType, name, RowArgument);
        var t = Target;
        EmitCommand(select, parameters);
        t.Open("using (var r = cmd.ExecuteReader())");
        t.Line($"if (r.Read()) return {ReadCall("r")};");
        t.Close();
        EmitCommand(insertSql, insertParameters, "insert");
        t.Line("insert.ExecuteNonQuery();");
        t.Line("using var stored = cmd.ExecuteReader();");
        t.Line("stored.Read();");
        t.Line($"return {ReadCall("stored")};");
        CloseMethod();
    }

    private void EmitUpdateBy(QueryModel q)
    {
        var name = QueryNames.MethodName(q);
        var by = q.Properties.SelectMany(ColumnsOf).ToList();
        var set = table.Columns.Where(c => !by.Contains(c) && !IsAutoKey(c)).ToList();
        var parameters = new StatementParameters();
        var assignments = string.Join(", ", RowValues(set).Select(f => $"{f.Sql} = {parameters.Bind(f)}"));
        var sql = Sql(name[..^"Async".Length] + "Sql",
            $"UPDATE {SqlIdentifier.Quote(table.Name)} SET {assignments} WHERE {Where(RowValues(by), parameters)}", parameters, name, q);
        Header($"Updates the rows with the same {string.Join(", ", q.Properties)} as <paramref name=\"row\"/>; returns how many", sql, "int", name, RowArgument);
        EmitCommand(sql, parameters);
        Target.Line("return cmd.ExecuteNonQuery();");
        CloseMethod();
    }

    private void EmitDeleteBy(QueryModel q)
    {
        var name = QueryNames.MethodName(q);
        var argumentNames = ArgumentNames(q.Properties);
        var filters = q.Properties.SelectMany((p, i) => Filter(p, argumentNames[i], rootIsRow: false, qualified: false)).ToList();
        var parameters = new StatementParameters();
        var sql = Sql(name[..^"Async".Length] + "Sql", $"DELETE FROM {SqlIdentifier.Quote(table.Name)} WHERE {Where(filters, parameters)}", parameters, name, q);
        Header($"Deletes the rows by {string.Join(", ", q.Properties)}; returns how many", sql, "int", name,
            [.. q.Properties.Select((p, i) => (ArgumentType(p), argumentNames[i]))]);
        EmitCommand(sql, parameters);
        Target.Line("return cmd.ExecuteNonQuery();");
        CloseMethod();
    }

    private void EmitUpsert(QueryModel q)
    {
        var rest = table.Columns.Where(c => !table.PrimaryKey.Contains(c.Name)).ToList();
        var update = rest.Count == 0 ? "DO NOTHING"
            : "DO UPDATE SET " + string.Join(", ", rest.Select(c => $"{SqlIdentifier.Quote(c.Name)} = excluded.{SqlIdentifier.Quote(c.Name)}"));
        var parameters = new StatementParameters();
        var name = QueryNames.MethodName(q);
        var sql = Sql("UpsertSql", $"{InsertStatement("INSERT", table.Columns, parameters)} ON CONFLICT({SqlIdentifier.List(table.PrimaryKey)}) {update}", parameters, name, q);
        Header("Inserts the row, or updates the row with its key", sql, null, name, RowArgument);
        EmitCommand(sql, parameters);
        Target.Line("cmd.ExecuteNonQuery();");
        CloseMethod();
    }

    private static string Where(IEnumerable<FilterColumn> filters, StatementParameters parameters) =>
        string.Join(" AND ", filters.Select(f => Equal(f, parameters)));
}
