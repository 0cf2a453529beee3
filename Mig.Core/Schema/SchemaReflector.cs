using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text;
using Mig.Sql;

namespace Mig.Schema;

/// <summary>The model built from a schema, or the errors that stopped it.</summary>
internal sealed record SchemaBuildResult(SchemaModel? Model, IReadOnlyList<SchemaError> Errors)
{
    /// <summary>True when there is a model and no error.</summary>
    public bool Succeeded => Model is not null && Errors.Count == 0;
}

/// <summary>
/// Turns the types of a compiled schema assembly into a <see cref="SchemaModel"/>
/// (dsl.md). Reads attributes by type identity, so the schema assembly must bind
/// to the same Mig.Core as this one. Runs seed getters, which is why it runs in
/// the short-lived tool process and never inside an MSBuild node.
/// </summary>
[RequiresUnreferencedCode(Why)]
internal static class SchemaReflector
{
    private const string Why = "Reads a schema assembly by reflection; it runs in the build's tool process, never in a trimmed app.";

    /// <summary>Builds the model from all exported types of a schema assembly.</summary>
    public static SchemaBuildResult Reflect(Assembly schemaAssembly) => Reflect(schemaAssembly.GetExportedTypes());

    /// <summary>Builds the model from these types; anything that is not a table, view, union or seed holder is ignored.</summary>
    public static SchemaBuildResult Reflect(IEnumerable<Type> types) => new Builder(types.ToList()).Build();

    private sealed class TableInfo(Type type, string name, Type? union)
    {
        public Type Type { get; } = type;
        public string Name { get; } = name;
        public Type? Union { get; } = union;
        public List<PropertyInfo> Properties { get; } = [];
        public List<ColumnModel> Columns { get; } = [];
        public List<ForeignKeyModel> ForeignKeys { get; } = [];
        public Dictionary<string, List<ColumnModel>> ColumnsByProperty { get; } = new(StringComparer.Ordinal);
    }

    [RequiresUnreferencedCode(Why)]
    private sealed class Builder(List<Type> types)
    {
        private readonly List<SchemaError> errors = [];
        private readonly Dictionary<Type, TableInfo> tables = [];
        private readonly Dictionary<Type, List<KeyColumn>?> keys = [];
        private readonly HashSet<Type> resolvingKeys = [];
        private readonly NullabilityInfoContext nullability = new();

        private sealed record KeyColumn(string Name, SqlType Type, ValueKind Kind, string ClrType, PropertyInfo[] Path);

        public SchemaBuildResult Build()
        {
            var views = new List<Type>();
            var seedHolders = new List<Type>();
            foreach (var type in types.OrderBy(t => t.FullName, StringComparer.Ordinal))
                Classify(type, views, seedHolders);

            foreach (var table in tables.Values) table.Properties.AddRange(MappedProperties(table.Type));
            if (!CheckCycles()) return new SchemaBuildResult(null, errors);

            var tableModels = new List<TableModel>();
            foreach (var table in tables.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                var model = BuildTable(table);
                if (model is not null) tableModels.Add(model);
            }
            var viewModels = views.Select(v => BuildView(v, tableModels)).OfType<ViewModel>().ToList();
            CheckDuplicateNames(tableModels, viewModels);
            if (errors.Count > 0) return new SchemaBuildResult(null, errors);

            var ordered = ForeignKeyOrder.Sort(tableModels);
            var seeds = seedHolders.SelectMany(h => BuildSeeds(h, ordered)).ToList();
            var tableRank = ordered.Select((t, i) => (t.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
            seeds = [.. seeds.OrderBy(s => tableRank[s.Table]).ThenBy(s => s.Source, StringComparer.Ordinal)];
            if (errors.Count > 0) return new SchemaBuildResult(null, errors);
            return new SchemaBuildResult(new SchemaModel(ordered, [.. viewModels.OrderBy(v => v.Synthesised ? 0 : 1).ThenBy(v => v.Name, StringComparer.Ordinal)], seeds), errors);
        }

        // ---- classification -------------------------------------------------

        private void Classify(Type type, List<Type> views, List<Type> seedHolders)
        {
            if (type.IsAbstract && type.IsSealed && type.IsClass) { seedHolders.Add(type); return; }
            if (!IsRecord(type)) return;
            if (type.IsAbstract)
            {
                // A union: each nested sealed record deriving from it is an extension table of
                // the table its first positional parameter references.
                foreach (var nested in type.GetNestedTypes(BindingFlags.Public).Where(n => n.IsSubclassOf(type) && !n.IsAbstract))
                    AddExtensionCase(type, nested);
                return;
            }
            if (type.BaseType is { IsAbstract: true } b && IsRecord(b) && type.DeclaringType == b) return; // handled with its union
            if (type.GetCustomAttribute<ViewAttribute>() is not null || type.GetCustomAttribute<ViewSqlAttribute>() is not null)
            {
                views.Add(type);
                return;
            }
            if (type.GetCustomAttributes<JoinAttribute>().Any())
                errors.Add(new(SchemaErrorCodes.InvalidView, $"{type.Name} has [Join] but no [View]; add [View] to make it a view.", Type: type.FullName, Attribute: "Join"));
            var name = type.GetCustomAttribute<TableAttribute>()?.Name ?? Naming.ToSnakeCase(type.Name);
            tables[type] = new TableInfo(type, name, null);
        }

        private void AddExtensionCase(Type union, Type nested)
        {
            var first = PrimaryConstructor(nested)?.GetParameters().FirstOrDefault();
            var firstType = first is null ? null : Nullable.GetUnderlyingType(first.ParameterType) ?? first.ParameterType;
            if (firstType is null || !IsRecord(firstType) || firstType.IsAbstract)
            {
                errors.Add(new(SchemaErrorCodes.InvalidKey,
                    $"Extension case {union.Name}.{nested.Name} must take the table it extends as its first positional parameter, e.g. record {nested.Name}(Student Student, ...).",
                    Type: nested.FullName));
                return;
            }
            var baseName = firstType.GetCustomAttribute<TableAttribute>()?.Name ?? Naming.ToSnakeCase(firstType.Name);
            var name = nested.GetCustomAttribute<TableAttribute>()?.Name ?? Naming.ExtensionTable(baseName, nested.Name);
            tables[nested] = new TableInfo(nested, name, union);
        }

        private static bool IsRecord(Type type) =>
            type.GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, [typeof(StringBuilder)]) is not null;

        private static ConstructorInfo? PrimaryConstructor(Type type)
        {
            var props = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            return type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
                .Where(c => c.GetParameters().Length > 0 && c.GetParameters().All(p => p.Name is not null && props.Contains(p.Name))
                            && !(c.GetParameters().Length == 1 && c.GetParameters()[0].ParameterType == type))
                .OrderByDescending(c => c.GetParameters().Length)
                .FirstOrDefault();
        }

        private static List<string> ConstructorProperties(Type type) =>
            PrimaryConstructor(type)?.GetParameters().Select(p => p.Name!).ToList() ?? [];

        /// <summary>
        /// Columns are the positional parameters, then other public settable properties.
        /// Get-only computed properties are not columns: reads could not set them.
        /// </summary>
        private static IEnumerable<PropertyInfo> MappedProperties(Type type)
        {
            var all = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToList();
            var byName = all.ToDictionary(p => p.Name, StringComparer.Ordinal);
            var ctor = PrimaryConstructor(type);
            var positional = ctor?.GetParameters().Select(p => byName[p.Name!]).ToList() ?? [];
            var rest = all.Where(p => !positional.Contains(p) && p.SetMethod is { IsPublic: true })
                          .OrderBy(p => p.MetadataToken);
            return positional.Concat(rest);
        }

        private static T? MemberAttribute<T>(PropertyInfo property) where T : Attribute
        {
            if (property.GetCustomAttribute<T>() is { } onProperty) return onProperty;
            var ctor = PrimaryConstructor(property.DeclaringType!);
            return ctor?.GetParameters().FirstOrDefault(p => p.Name == property.Name)?.GetCustomAttribute<T>();
        }

        private bool IsNullable(PropertyInfo property) =>
            Nullable.GetUnderlyingType(property.PropertyType) is not null
            || (!property.PropertyType.IsValueType && nullability.Create(property).ReadState == NullabilityState.Nullable);

        private static Type Unwrap(Type type) => Nullable.GetUnderlyingType(type) ?? type;

        // ---- reference cycles -----------------------------------------------

        private bool CheckCycles()
        {
            var state = new Dictionary<Type, int>();
            var stack = new List<Type>();
            var reported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var t in tables.Keys.OrderBy(t => t.FullName, StringComparer.Ordinal)) Visit(t);
            return errors.Count == 0;

            void Visit(Type t)
            {
                if (state.TryGetValue(t, out var s))
                {
                    if (s == 1)
                    {
                        var cycle = stack.Skip(stack.IndexOf(t)).Append(t).Select(x => x.Name).ToList();
                        var key = string.Join(",", cycle.Skip(1).Order(StringComparer.Ordinal));
                        if (reported.Add(key))
                            errors.Add(new(SchemaErrorCodes.ReferenceCycle,
                                $"Record-typed references form a cycle: {string.Join(" -> ", cycle)}. Reads embed referenced records, so the chain must end; use [References(typeof(...))] on a key-typed property (e.g. long? ManagerId) to close the cycle.",
                                Type: t.FullName));
                    }
                    return;
                }
                state[t] = 1;
                stack.Add(t);
                foreach (var p in tables[t].Properties)
                {
                    var target = Unwrap(p.PropertyType);
                    if (tables.ContainsKey(target)) Visit(target);
                }
                stack.RemoveAt(stack.Count - 1);
                state[t] = 2;
            }
        }

        // ---- keys ------------------------------------------------------------

        /// <summary>The key columns of a table (null when it has none), resolved through references.</summary>
        private List<KeyColumn>? KeyOf(Type type)
        {
            if (keys.TryGetValue(type, out var known)) return known;
            if (!resolvingKeys.Add(type)) return null; // cycle already reported
            var table = tables[type];
            List<KeyColumn>? result = null;
            var pk = type.GetCustomAttribute<PKAttribute>();
            var auto = type.GetCustomAttribute<AutoIncPKAttribute>();
            if (pk is not null && auto is not null)
                errors.Add(new(SchemaErrorCodes.InvalidKey, $"{type.Name} has both [PK] and [AutoIncPK]; keep one.", Type: type.FullName, Attribute: "AutoIncPK"));
            string[]? keyProps = auto is not null ? [auto.Property] : pk?.Properties;
            if (table.Union is not null && keyProps is null)
                keyProps = [table.Properties[0].Name]; // an extension row is keyed by the row it extends
            if (keyProps is { Length: 0 })
                errors.Add(new(SchemaErrorCodes.InvalidAttribute, $"[PK] on {type.Name} names no property.", Type: type.FullName, Attribute: "PK"));
            if (keyProps is { Length: > 0 })
            {
                result = [];
                foreach (var name in keyProps)
                {
                    var prop = table.Properties.FirstOrDefault(p => p.Name == name);
                    if (prop is null)
                    {
                        errors.Add(MissingProperty(type, auto is not null ? "AutoIncPK" : "PK", name));
                        result = null;
                        break;
                    }
                    var cols = ColumnsOfProperty(table, prop, reportErrors: false);
                    if (cols is null) { result = null; break; }
                    result.AddRange(cols.Select(c => new KeyColumn(c.Name, c.Type, c.Kind, c.ClrType, c.Path)));
                }
                if (auto is not null && result is not null && (result.Count != 1 || result[0].Type != SqlType.Integer || result[0].Path.Length != 1))
                {
                    errors.Add(new(SchemaErrorCodes.InvalidKey,
                        $"[AutoIncPK] on {type.Name}.{auto.Property} needs an integer property (long or int); use [PK] for other key types.",
                        Type: type.FullName, Member: auto.Property, Attribute: "AutoIncPK", Argument: auto.Property));
                    result = null;
                }
            }
            resolvingKeys.Remove(type);
            keys[type] = result;
            return result;
        }

        private sealed record PropertyColumn(string Name, SqlType Type, ValueKind Kind, string ClrType, PropertyInfo[] Path, string? ReferencedColumn);

        /// <summary>The columns one property becomes: one for a value, one per key column for a reference.</summary>
        private List<PropertyColumn>? ColumnsOfProperty(TableInfo table, PropertyInfo prop, bool reportErrors)
        {
            var name = MemberAttribute<ColumnAttribute>(prop)?.Name ?? Naming.ToSnakeCase(prop.Name);
            var type = Unwrap(prop.PropertyType);
            if (tables.ContainsKey(type))
            {
                var key = KeyOf(type);
                if (key is null)
                {
                    if (reportErrors)
                        errors.Add(new(SchemaErrorCodes.ReferenceWithoutKey,
                            $"{table.Type.Name}.{prop.Name} references {type.Name}, which has no primary key. Add [PK(...)] or [AutoIncPK(...)] to {type.Name}.",
                            Type: table.Type.FullName, Member: prop.Name));
                    return null;
                }
                return [.. key.Select(k => new PropertyColumn(name + "_" + k.Name, k.Type, k.Kind, k.ClrType, [prop, .. k.Path], k.Name))];
            }
            var kind = SqlValues.KindOf(type);
            if (kind is null)
            {
                if (reportErrors)
                    errors.Add(new(SchemaErrorCodes.UnsupportedType,
                        $"{table.Type.Name}.{prop.Name} has type {FriendlyName(prop.PropertyType)}, which Mig cannot store. Use a scalar type (long, string, decimal, DateTime, Guid, byte[], an enum...), a table record, or move the collection into its own table.",
                        Type: table.Type.FullName, Member: prop.Name));
                return null;
            }
            return [new PropertyColumn(name, SqlValues.StorageType(kind.Value), kind.Value, type.FullName ?? type.Name, [prop], null)];
        }

        private static string FriendlyName(Type t)
        {
            if (!t.IsGenericType) return t.Name;
            var n = t.Name[..t.Name.IndexOf('`', StringComparison.Ordinal)];
            return n + "<" + string.Join(", ", t.GetGenericArguments().Select(FriendlyName)) + ">";
        }

        private static SchemaError MissingProperty(Type type, string attribute, string property) =>
            new(SchemaErrorCodes.MissingProperty,
                $"[{attribute}] on {type.Name} names '{property}', which is not a property of {type.Name}. Use nameof(...) of one of its properties.",
                Type: type.FullName, Attribute: attribute, Argument: property);

        // ---- tables ----------------------------------------------------------

        private TableModel? BuildTable(TableInfo table)
        {
            var type = table.Type;
            var before = errors.Count;
            if (table.Properties.Count == 0)
            {
                // SQLite has no table without columns; without this the DDL fails later as a bare syntax error.
                errors.Add(new(SchemaErrorCodes.NoColumns,
                    $"{type.Name} has no properties, so its table would have no columns. Add its columns as properties (for example {type.Name}(long Id, string Name)), or remove it from the schema.",
                    Type: type.FullName));
                return null;
            }
            var key = KeyOf(type);
            var columnsByProp = new Dictionary<string, List<PropertyColumn>>(StringComparer.Ordinal);
            var defaults = new Dictionary<string, (string? Literal, string? Expr)>(StringComparer.Ordinal);
            foreach (var d in type.GetCustomAttributes<DefaultAttribute>())
                if (CheckProperty(table, "Default", d.Property)) defaults[d.Property] = (d.Value, null);
            foreach (var d in type.GetCustomAttributes<DefaultExprAttribute>())
                if (CheckProperty(table, "DefaultExpr", d.Property)) defaults[d.Property] = (null, d.Expression);

            var onDelete = new Dictionary<string, OnDelete>(StringComparer.Ordinal);
            foreach (var a in type.GetCustomAttributes<OnDeleteCascadeAttribute>())
                if (CheckProperty(table, "OnDeleteCascade", a.Property)) onDelete[a.Property] = OnDelete.Cascade;
            foreach (var a in type.GetCustomAttributes<OnDeleteSetNullAttribute>())
            {
                if (!CheckProperty(table, "OnDeleteSetNull", a.Property)) continue;
                onDelete[a.Property] = OnDelete.SetNull;
                var prop = table.Properties.First(p => p.Name == a.Property);
                if (!IsNullable(prop))
                    errors.Add(new(SchemaErrorCodes.InvalidDeleteAction,
                        $"[OnDeleteSetNull] on {type.Name}.{a.Property} needs a nullable property ({FriendlyName(Unwrap(prop.PropertyType))}?): SQLite cannot set a NOT NULL column to NULL.",
                        Type: type.FullName, Member: a.Property, Attribute: "OnDeleteSetNull", Argument: a.Property));
            }

            var columns = new List<ColumnModel>();
            var fks = new List<ForeignKeyModel>();
            foreach (var prop in table.Properties)
            {
                var cols = ColumnsOfProperty(table, prop, reportErrors: true);
                if (cols is null) continue;
                columnsByProp[prop.Name] = cols;
                var notNull = !IsNullable(prop);
                defaults.TryGetValue(prop.Name, out var dflt);
                var renamed = MemberAttribute<RenamedFromAttribute>(prop)?.OldName;
                var refType = Unwrap(prop.PropertyType);
                foreach (var c in cols.Where(c => Naming.HidesRowId(c.Name)))
                    // Such a column hides SQLite's own rowid, which migrations copy, capture and replay by.
                    errors.Add(new(SchemaErrorCodes.DuplicateName,
                        $"{type.Name}.{prop.Name} becomes the column '{c.Name}', which would hide the table's rowid (SQLite's name for it), which migrations copy and replay by. Rename the property or give it [Column(\"...\")].",
                        Type: type.FullName, Member: prop.Name));
                foreach (var c in cols)
                    columns.Add(new ColumnModel(c.Name, prop.Name, c.Type, c.Kind, c.ClrType, notNull, dflt.Literal, dflt.Expr,
                        cols.Count == 1 ? renamed : null, c.ReferencedColumn));

                onDelete.TryGetValue(prop.Name, out var action);
                if (tables.TryGetValue(refType, out var referenced))
                {
                    fks.Add(new ForeignKeyModel(prop.Name, [.. cols.Select(c => c.Name)], referenced.Name,
                        [.. cols.Select(c => c.ReferencedColumn!)], action, Embedded: true));
                }
                else if (MemberAttribute<ReferencesAttribute>(prop) is { } references)
                {
                    var fk = ExplicitReference(table, prop, references.Table, cols[0], action);
                    if (fk is not null) fks.Add(fk);
                }
                else if (action != OnDelete.NoAction)
                {
                    errors.Add(new(SchemaErrorCodes.InvalidDeleteAction,
                        $"{type.Name}.{prop.Name} is not a reference, so a delete action does not apply. Put it on a record-typed or [References] property.",
                        Type: type.FullName, Member: prop.Name, Attribute: action == OnDelete.Cascade ? "OnDeleteCascade" : "OnDeleteSetNull", Argument: prop.Name));
                }
            }

            var uniques = new List<IReadOnlyList<string>>();
            foreach (var u in type.GetCustomAttributes<UniqueAttribute>())
                if (ResolveColumns(table, "Unique", u.Properties, columnsByProp) is { } cols) uniques.Add(cols);
            var indexes = new List<IndexModel>();
            foreach (var ix in type.GetCustomAttributes<IndexAttribute>())
                if (ResolveColumns(table, "Index", ix.Properties, columnsByProp) is { } cols)
                    indexes.Add(new IndexModel(Naming.Index(table.Name, cols), cols));

            var queries = BuildQueries(type, table.Properties, isView: false);
            var autoKey = type.GetCustomAttribute<AutoIncPKAttribute>() is not null ? key?.FirstOrDefault()?.Name : null;
            CheckTableQueries(type, queries, key is not null, autoKey, columnsByProp, columns);
            CheckQueryNames(type, queries, isTable: true);
            if (errors.Count > before) return null;
            return new TableModel(table.Name, type.FullName!, columns, [.. key?.Select(k => k.Name) ?? []],
                type.GetCustomAttribute<AutoIncPKAttribute>() is not null, uniques, indexes, fks,
                type.GetCustomAttribute<RenamedFromAttribute>()?.OldName, table.Union?.FullName, queries)
            { ConstructorProperties = ConstructorProperties(type) };
        }

        private ForeignKeyModel? ExplicitReference(TableInfo table, PropertyInfo prop, Type target, PropertyColumn column, OnDelete action)
        {
            if (!tables.TryGetValue(target, out var referenced))
            {
                errors.Add(new(SchemaErrorCodes.InexpressibleForeignKey,
                    $"[References(typeof({target.Name}))] on {table.Type.Name}.{prop.Name}: {target.Name} is not a table of this schema.",
                    Type: table.Type.FullName, Member: prop.Name, Attribute: "References"));
                return null;
            }
            var key = KeyOf(target);
            if (key is null)
            {
                errors.Add(new(SchemaErrorCodes.ReferenceWithoutKey,
                    $"{table.Type.Name}.{prop.Name} references {target.Name}, which has no primary key. Add [PK(...)] or [AutoIncPK(...)] to {target.Name}.",
                    Type: table.Type.FullName, Member: prop.Name, Attribute: "References"));
                return null;
            }
            if (key.Count != 1)
            {
                errors.Add(new(SchemaErrorCodes.InexpressibleForeignKey,
                    $"{table.Type.Name}.{prop.Name} is one column but {target.Name} has a composite key ({string.Join(", ", key.Select(k => k.Name))}). Reference the record itself ({target.Name} {prop.Name}) to get one column per key column.",
                    Type: table.Type.FullName, Member: prop.Name, Attribute: "References"));
                return null;
            }
            if (key[0].Type != column.Type)
            {
                errors.Add(new(SchemaErrorCodes.InexpressibleForeignKey,
                    $"{table.Type.Name}.{prop.Name} is {SqlValues.Keyword(column.Type)} but the key of {target.Name} is {SqlValues.Keyword(key[0].Type)}; give the property the key's type.",
                    Type: table.Type.FullName, Member: prop.Name, Attribute: "References"));
                return null;
            }
            return new ForeignKeyModel(prop.Name, [column.Name], referenced.Name, [key[0].Name], action, Embedded: false);
        }

        private bool CheckProperty(TableInfo table, string attribute, string property)
        {
            if (table.Properties.Any(p => p.Name == property)) return true;
            errors.Add(MissingProperty(table.Type, attribute, property));
            return false;
        }

        private List<string>? ResolveColumns(TableInfo table, string attribute, string[] properties, Dictionary<string, List<PropertyColumn>> columnsByProp)
        {
            if (properties is null || properties.Length == 0 || properties.Any(p => p is null))
            {
                errors.Add(new(SchemaErrorCodes.InvalidAttribute, $"[{attribute}] on {table.Type.Name} names no property (or a null one).", Type: table.Type.FullName, Attribute: attribute));
                return null;
            }
            var result = new List<string>();
            foreach (var p in properties)
            {
                if (!CheckProperty(table, attribute, p)) return null;
                if (!columnsByProp.TryGetValue(p, out var cols)) return null; // its type error is already reported
                result.AddRange(cols.Select(c => c.Name));
            }
            return result;
        }

        // ---- queries ---------------------------------------------------------

        private List<QueryModel> BuildQueries(Type type, IReadOnlyList<PropertyInfo> properties, bool isView)
        {
            var result = new List<QueryModel>();
            foreach (var q in type.GetCustomAttributes<QueryAttribute>())
            {
                var kind = q switch
                {
                    InsertOrIgnoreAttribute => QueryKind.InsertOrIgnore,
                    SelectAllAttribute => QueryKind.SelectAll,
                    SelectByAttribute => QueryKind.SelectBy,
                    SelectOneByAttribute => QueryKind.SelectOneBy,
                    SelectLikeAttribute => QueryKind.SelectLike,
                    SelectByOrInsertAttribute => QueryKind.SelectByOrInsert,
                    UpdateByAttribute => QueryKind.UpdateBy,
                    DeleteByAttribute => QueryKind.DeleteBy,
                    _ => QueryKind.Upsert,
                };
                var attr = kind.ToString();
                if (isView && kind is not (QueryKind.SelectAll or QueryKind.SelectBy or QueryKind.SelectOneBy or QueryKind.SelectLike))
                {
                    errors.Add(new(SchemaErrorCodes.InvalidQuery, $"[{attr}] on view {type.Name}: views are read-only; use a select attribute.", Type: type.FullName, Attribute: attr));
                    continue;
                }
                var ok = true;
                foreach (var p in q.Properties)
                    if (!properties.Any(x => x.Name == p)) { errors.Add(MissingProperty(type, attr, p)); ok = false; }
                if (kind is QueryKind.SelectBy or QueryKind.SelectOneBy or QueryKind.SelectByOrInsert or QueryKind.UpdateBy or QueryKind.DeleteBy
                    && q.Properties.Length == 0)
                {
                    errors.Add(new(SchemaErrorCodes.InvalidAttribute, $"[{attr}] on {type.Name} names no property.", Type: type.FullName, Attribute: attr));
                    ok = false;
                }
                if (q.OrderBy is { } orderBy)
                {
                    foreach (var term in orderBy.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        var parts = term.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        var dirOk = parts.Length == 1 || (parts.Length == 2 && (parts[1].Equals("ASC", StringComparison.OrdinalIgnoreCase) || parts[1].Equals("DESC", StringComparison.OrdinalIgnoreCase)));
                        if (!dirOk)
                        {
                            errors.Add(new(SchemaErrorCodes.InvalidAttribute, $"[{attr}] on {type.Name}: OrderBy term '{term}' must be '<Property>', '<Property> ASC' or '<Property> DESC'.", Type: type.FullName, Attribute: attr, Argument: term));
                            ok = false;
                        }
                        else if (!properties.Any(x => x.Name == parts[0]))
                        {
                            errors.Add(MissingProperty(type, attr, parts[0]));
                            ok = false;
                        }
                    }
                }
                if (ok) result.Add(new QueryModel(kind, q.Properties, q.OrderBy));
            }
            return result;
        }

        private void CheckTableQueries(Type type, List<QueryModel> queries, bool hasKey, string? autoKey, Dictionary<string, List<PropertyColumn>> columnsByProp, List<ColumnModel> columns)
        {
            foreach (var q in queries)
            {
                var attr = q.Kind.ToString();
                if (q.Kind == QueryKind.Upsert && !hasKey)
                    errors.Add(new(SchemaErrorCodes.InvalidQuery, $"[Upsert] on {type.Name} needs a primary key to detect the conflict; add [PK(...)] or remove [Upsert].", Type: type.FullName, Attribute: attr));
                if (q.Kind == QueryKind.UpdateBy)
                {
                    // The update sets every other column except an AUTOINCREMENT key, which
                    // identifies the row and is never written; with none left it would be no SQL.
                    var named = q.Properties.SelectMany(p => columnsByProp.TryGetValue(p, out var c) ? c : []).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
                    if (!columns.Any(c => !named.Contains(c.Name) && c.Name != autoKey))
                        errors.Add(new(SchemaErrorCodes.InvalidQuery,
                            $"[UpdateBy] on {type.Name} names every column{(autoKey is not null && !named.Contains(autoKey) ? " but the AUTOINCREMENT key, which an update never sets" : "")}, so there is nothing left to update.",
                            Type: type.FullName, Attribute: attr, Argument: q.Properties.FirstOrDefault()));
                }
                if (q.Kind == QueryKind.SelectLike && q.Properties.Count == 1 && columnsByProp.TryGetValue(q.Properties[0], out var like) && like[0].Kind != ValueKind.String)
                    errors.Add(new(SchemaErrorCodes.InvalidQuery, $"[SelectLike] on {type.Name}.{q.Properties[0]}: LIKE needs a string property.", Type: type.FullName, Attribute: attr, Argument: q.Properties[0]));
            }
        }

        /// <summary>
        /// Generated methods are static extension members; a member the record declares
        /// with the same name would silently win at call sites, and two attributes with
        /// one name would not compile. Both are schema errors.
        /// </summary>
        private void CheckQueryNames(Type type, List<QueryModel> queries, bool isTable)
        {
            var declared = type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, query) in CodeGen.QueryNames.All(queries, isTable))
            {
                var attr = query?.Kind.ToString();
                var arg = query?.Properties.FirstOrDefault();
                if (declared.Contains(name))
                    errors.Add(new(SchemaErrorCodes.QueryNameCollision,
                        $"{type.Name} declares a member named {name}, which would hide the generated {(query is null ? "insert" : "[" + attr + "]")} method at call sites. Rename the member{(query is null ? "" : " or remove the attribute")}.",
                        Type: type.FullName, Member: name, Attribute: attr, Argument: arg));
                if (!seen.Add(name))
                    errors.Add(new(SchemaErrorCodes.QueryNameCollision,
                        $"Two query attributes on {type.Name} both generate {name}; remove one or give it a different OrderBy.",
                        Type: type.FullName, Attribute: attr, Argument: arg));
            }
        }

        // ---- views -----------------------------------------------------------

        private ViewModel? BuildView(Type type, List<TableModel> tableModels)
        {
            var before = errors.Count;
            var name = type.GetCustomAttribute<TableAttribute>()?.Name ?? Naming.ToSnakeCase(type.Name);
            var props = MappedProperties(type).ToList();
            if (props.Count == 0)
            {
                errors.Add(new(SchemaErrorCodes.NoColumns,
                    $"View {type.Name} has no properties, so it would have no columns. Add the columns it shows as properties, or remove it from the schema.",
                    Type: type.FullName));
                return null;
            }
            if (type.GetCustomAttribute<PKAttribute>() is not null || type.GetCustomAttribute<AutoIncPKAttribute>() is not null)
                errors.Add(new(SchemaErrorCodes.InvalidKey, $"View {type.Name} cannot have a primary key; remove [PK]/[AutoIncPK].", Type: type.FullName, Attribute: type.GetCustomAttribute<PKAttribute>() is not null ? "PK" : "AutoIncPK"));
            var columns = new List<(PropertyInfo Prop, string Name, ValueKind Kind, bool NotNull)>();
            foreach (var p in props)
            {
                var kind = SqlValues.KindOf(Unwrap(p.PropertyType));
                if (kind is null)
                {
                    errors.Add(new(SchemaErrorCodes.UnsupportedType,
                        $"{type.Name}.{p.Name} has type {FriendlyName(p.PropertyType)}; a view property holds one column value (long, string, decimal, ...).",
                        Type: type.FullName, Member: p.Name));
                    continue;
                }
                columns.Add((p, MemberAttribute<ColumnAttribute>(p)?.Name ?? Naming.ToSnakeCase(p.Name), kind.Value, !IsNullable(p)));
            }
            var queries = BuildQueries(type, props, isView: true);
            CheckQueryNames(type, queries, isTable: false);
            if (type.GetCustomAttribute<ViewSqlAttribute>() is { } viewSql)
            {
                if (errors.Count > before) return null;
                return new ViewModel(name, type.FullName!, [.. columns.Select(c => new ViewColumnModel(c.Name, c.Prop.Name, SqlValues.StorageType(c.Kind), c.Kind, ClrName(c.Prop), c.NotNull, null, null))],
                    viewSql.Sql.Trim().TrimEnd(';'), Synthesised: false, queries)
                { ConstructorProperties = ConstructorProperties(type) };
            }

            var joins = type.GetCustomAttributes<JoinAttribute>().ToList();
            if (joins.Count == 0)
            {
                errors.Add(new(SchemaErrorCodes.InvalidView, $"View {type.Name} has no [Join(typeof(A), typeof(B))]; add the joins or use [ViewSql(\"SELECT ...\")].", Type: type.FullName, Attribute: "View"));
                return null;
            }
            var byType = tableModels.ToDictionary(t => t.ClrType, StringComparer.Ordinal);
            var joined = new List<TableModel>();
            var from = new StringBuilder();
            foreach (var join in joins)
            {
                var arg = join.Left.Name + ", " + join.Right.Name;
                if (!byType.TryGetValue(join.Left.FullName!, out var left) || !byType.TryGetValue(join.Right.FullName!, out var right))
                {
                    var notTable = byType.ContainsKey(join.Left.FullName!) ? join.Right : join.Left;
                    errors.Add(new(SchemaErrorCodes.JoinWithoutForeignKey, $"[Join] on view {type.Name}: {notTable.Name} is not a table of this schema.", Type: type.FullName, Attribute: "Join", Argument: notTable.Name));
                    return null;
                }
                var candidates = left.ForeignKeys.Where(f => f.ReferencedTable == right.Name).Select(f => (From: left, To: right, Fk: f))
                    .Concat(right.ForeignKeys.Where(f => f.ReferencedTable == left.Name && left != right).Select(f => (From: right, To: left, Fk: f))).ToList();
                if (candidates.Count != 1)
                {
                    var why = candidates.Count == 0 ? "no foreign key connects them" : $"{candidates.Count} foreign keys connect them ({string.Join(", ", candidates.Select(c => c.From.Name + "." + string.Join("+", c.Fk.Columns)))})";
                    errors.Add(new(SchemaErrorCodes.JoinWithoutForeignKey,
                        $"[Join(typeof({join.Left.Name}), typeof({join.Right.Name}))] on view {type.Name}: {why}. A synthesised join needs exactly one; use [ViewSql] otherwise.",
                        Type: type.FullName, Attribute: "Join", Argument: join.Left.Name));
                    return null;
                }
                var (fromT, toT, fk) = candidates[0];
                var on = string.Join(" AND ", fk.Columns.Select((c, i) =>
                    $"{SqlIdentifier.Quote(fromT.Name)}.{SqlIdentifier.Quote(c)} = {SqlIdentifier.Quote(toT.Name)}.{SqlIdentifier.Quote(fk.ReferencedColumns[i])}"));
                if (joined.Count == 0)
                {
                    from.Append("FROM ").Append(SqlIdentifier.Quote(left.Name)).Append(" JOIN ").Append(SqlIdentifier.Quote(right.Name)).Append(" ON ").Append(on);
                    joined.Add(left);
                    joined.Add(right);
                }
                else
                {
                    var hasLeft = joined.Contains(left);
                    var hasRight = joined.Contains(right);
                    if (hasLeft == hasRight)
                    {
                        var why = hasLeft ? "both tables are already joined" : "neither table is joined yet";
                        errors.Add(new(SchemaErrorCodes.InvalidView,
                            $"[Join(typeof({join.Left.Name}), typeof({join.Right.Name}))] on view {type.Name}: {why}; each join after the first must add one new table to the ones before it.",
                            Type: type.FullName, Attribute: "Join", Argument: join.Left.Name));
                        return null;
                    }
                    var added = hasLeft ? right : left;
                    from.Append(" JOIN ").Append(SqlIdentifier.Quote(added.Name)).Append(" ON ").Append(on);
                    joined.Add(added);
                }
            }

            var select = new List<string>();
            var viewColumns = new List<ViewColumnModel>();
            foreach (var (prop, colName, kind, notNull) in columns)
            {
                // A table-name prefix wins (StudentName -> student.name); otherwise the column
                // name must be found in exactly one joined table (Title -> course.title).
                var prefixed = joined.Where(t => colName.StartsWith(t.Name + "_", StringComparison.Ordinal) && t.FindColumn(colName[(t.Name.Length + 1)..]) is not null)
                    .Select(t => (Table: t, Column: t.FindColumn(colName[(t.Name.Length + 1)..])!)).ToList();
                var plain = joined.Where(t => t.FindColumn(colName) is not null).Select(t => (Table: t, Column: t.FindColumn(colName)!)).ToList();
                var matches = prefixed.Count > 0 ? prefixed : plain;
                if (matches.Count == 0)
                {
                    errors.Add(new(SchemaErrorCodes.UnresolvedViewColumn,
                        $"View {type.Name}.{prop.Name} ({colName}) matches no column of {string.Join(", ", joined.Select(t => t.Name))}. Name it <table><Column> (e.g. StudentName) or after a column of one joined table.",
                        Type: type.FullName, Member: prop.Name));
                    continue;
                }
                if (matches.Count > 1)
                {
                    errors.Add(new(SchemaErrorCodes.AmbiguousViewColumn,
                        $"View {type.Name}.{prop.Name} ({colName}) matches {string.Join(" and ", matches.Select(m => m.Table.Name + "." + m.Column.Name))}. Prefix it with the table name (e.g. {ToPascal(matches[0].Table.Name)}{prop.Name}) or use [ViewSql].",
                        Type: type.FullName, Member: prop.Name));
                    continue;
                }
                var (t, c) = matches[0];
                if (c.Type != SqlValues.StorageType(kind))
                {
                    errors.Add(new(SchemaErrorCodes.UnresolvedViewColumn,
                        $"View {type.Name}.{prop.Name} is {SqlValues.Keyword(SqlValues.StorageType(kind))} but {t.Name}.{c.Name} is {SqlValues.Keyword(c.Type)}; give the property the column's type.",
                        Type: type.FullName, Member: prop.Name));
                    continue;
                }
                select.Add($"{SqlIdentifier.Quote(t.Name)}.{SqlIdentifier.Quote(c.Name)} AS {SqlIdentifier.Quote(colName)}");
                viewColumns.Add(new ViewColumnModel(colName, prop.Name, c.Type, kind, ClrName(prop), notNull, t.Name, c.Name));
            }
            if (errors.Count > before) return null;
            return new ViewModel(name, type.FullName!, viewColumns, "SELECT " + string.Join(", ", select) + "\n" + from, Synthesised: true, queries)
            { ConstructorProperties = ConstructorProperties(type) };
        }

        private static string ClrName(PropertyInfo p) => Unwrap(p.PropertyType).FullName ?? p.PropertyType.Name;

        private static string ToPascal(string snake) =>
            string.Concat(snake.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(s => char.ToUpperInvariant(s[0]) + s[1..]));

        private void CheckDuplicateNames(List<TableModel> tableModels, List<ViewModel> viewModels)
        {
            var names = tableModels.Select(t => (t.Name, t.ClrType)).Concat(viewModels.Select(v => (v.Name, v.ClrType)))
                .Concat(tableModels.SelectMany(t => t.Indexes.Select(i => (i.Name, t.ClrType))));
            foreach (var (name, owner) in names.Where(n => Protocol.IsReserved(n.Name)))
                errors.Add(new(SchemaErrorCodes.DuplicateName,
                    $"The SQL name '{name}' ({owner[(owner.LastIndexOfAny(['.', '+']) + 1)..]}) is one Mig reserves for its own bookkeeping ({string.Join(", ", Protocol.ReservedNames)}). Rename the type or give it [Table(\"...\")].",
                    Type: owner));
            foreach (var group in names.GroupBy(n => n.Name, SqlNameComparer.Instance).Where(g => g.Count() > 1))
            {
                var owners = group.Select(g => g.ClrType).Distinct().ToList();
                errors.Add(new(SchemaErrorCodes.DuplicateName,
                    $"The SQL name '{group.Key}' is used {group.Count()} times ({string.Join(", ", owners.Select(o => o[(o.LastIndexOfAny(['.', '+']) + 1)..]))}). Rename a type or give it [Table(\"...\")].",
                    Type: group.Last().ClrType));
            }
        }

        // ---- seeds -----------------------------------------------------------

        private IEnumerable<SeedModel> BuildSeeds(Type holder, IReadOnlyList<TableModel> tableModels)
        {
            var byType = tableModels.ToDictionary(t => t.ClrType, StringComparer.Ordinal);
            var members = holder.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (Member: (MemberInfo)f, Type: f.FieldType, Get: (Func<object?>)(() => f.GetValue(null))))
                .Concat(holder.GetProperties(BindingFlags.Public | BindingFlags.Static).Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0)
                    .Select(p => (Member: (MemberInfo)p, Type: p.PropertyType, Get: (Func<object?>)(() => p.GetValue(null)))))
                .OrderBy(m => m.Member.MetadataToken);
            foreach (var (member, memberType, get) in members)
            {
                var rowType = SeedRowType(memberType, byType);
                if (rowType is null) continue;
                var table = byType[rowType.FullName!];
                var source = holder.FullName + "." + member.Name;
                if (table.PrimaryKey.Count == 0)
                {
                    errors.Add(new(SchemaErrorCodes.InvalidSeed,
                        $"Seed {source} fills {table.Name}, which has no primary key; seeds are upserts by key. Add [PK(...)] to {rowType.Name} or remove the seed.",
                        Type: holder.FullName, Member: member.Name));
                    continue;
                }
                object? value;
                try { value = get(); }
                catch (TargetInvocationException e)
                {
                    var inner = e.InnerException is TypeInitializationException { InnerException: { } ti } ? ti : e.InnerException ?? e;
                    errors.Add(new(SchemaErrorCodes.InvalidSeed, $"Seed {source} threw {inner.GetType().Name}: {inner.Message}", Type: holder.FullName, Member: member.Name));
                    continue;
                }
                var rows = value switch
                {
                    null => [],
                    System.Collections.IEnumerable list when value.GetType() != rowType => list.Cast<object?>().ToList(),
                    _ => [value],
                };
                var info = tables[rowType];
                var converted = new List<IReadOnlyList<object?>>();
                foreach (var row in rows)
                {
                    if (row is null)
                    {
                        errors.Add(new(SchemaErrorCodes.InvalidSeed, $"Seed {source} contains a null row.", Type: holder.FullName, Member: member.Name));
                        break;
                    }
                    converted.Add(RowValues(info, table, row));
                }
                yield return new SeedModel(table.Name, source, [.. table.Columns.Select(c => c.Name)], converted);
            }
        }

        private Type? SeedRowType(Type memberType, Dictionary<string, TableModel> byType)
        {
            if (byType.ContainsKey(memberType.FullName ?? "")) return memberType;
            var element = memberType.IsArray ? memberType.GetElementType()
                : memberType.GetInterfaces().Append(memberType)
                    .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
            return element is not null && tables.ContainsKey(element) && byType.ContainsKey(element.FullName!) ? element : null;
        }

        private List<object?> RowValues(TableInfo info, TableModel table, object row)
        {
            var values = new List<object?>(table.Columns.Count);
            foreach (var prop in info.Properties)
            {
                var cols = ColumnsOfProperty(info, prop, reportErrors: false)!;
                var raw = prop.GetValue(row);
                foreach (var c in cols)
                {
                    // Walk the reference chain to the key value: Course.Student.Id.
                    object? v = raw;
                    foreach (var step in c.Path.Skip(1))
                        v = v is null ? null : step.GetValue(v);
                    values.Add(StorageFormat.ToStorage(v));
                }
            }
            return values;
        }
    }
}
