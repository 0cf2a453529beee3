using Mig.Schema;
using static Mig.CodeGen.QueryEmitter;

namespace Mig.CodeGen;

/// <summary>The select methods of a view: its columns read straight into the record.</summary>
internal sealed class ViewEmitter(CodeWriter w, ViewModel view, List<GeneratedStatement> statements, CompletedTasks completed)
    : SelectEmitter(w, view.ClrType, statements, completed)
{
    protected override string SelectFrom =>
        $"SELECT {SqlIdentifier.List(view.Columns.Select(c => c.Name))} FROM {SqlIdentifier.Quote(view.Name)}";

    protected override string CountFrom => $"SELECT count(*) FROM {SqlIdentifier.Quote(view.Name)}";

    private ViewColumnModel Column(string property) => view.Columns.First(c => c.Property == property);

    protected override IReadOnlyList<string> SelectColumns(string property) => [SqlIdentifier.Quote(Column(property).Name)];

    protected override IReadOnlyList<FilterColumn> Filter(string property, string root, bool rootIsRow, bool qualified)
    {
        var c = Column(property);
        return [new FilterColumn(SqlIdentifier.Quote(c.Name), c.Name, c.Type, c.Kind, c.NotNull, rootIsRow ? root + "." + Member(property) : root)];
    }

    protected override string ArgumentType(string property)
    {
        var c = Column(property);
        return ValueType(c.Kind, c.ClrType, c.NotNull);
    }

    protected override string ValueArgumentType(string property)
    {
        var c = Column(property);
        return ValueType(c.Kind, c.ClrType, notNull: true);
    }

    protected override (string Type, string Value) ListElement(string property)
    {
        var c = Column(property);
        return (ValueType(c.Kind, c.ClrType, notNull: true), ListValue(c.Kind));
    }

    protected override void EmitRead()
    {
        var reads = view.Columns.Select((c, i) => (c.Property, (IReadOnlyList<string>)[ReadExpression(c.Kind, c.ClrType, c.NotNull, i)])).ToList();
        W.Open($"private static {RowType} Read(global::Microsoft.Data.Sqlite.SqliteDataReader r)");
        foreach (var line in Construction.Suffixed(Construction.Prefixed("return ", Construction.New(RowType, view.ConstructorProperties, reads)), ";")) W.Line(line);
        W.Close();
    }

    protected override void EmitMethods() => EmitSelects(view.Queries);
}
