using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Mig.Schema;
using Mig.Sql;

namespace Mig.Tasks.Schema;

/// <summary>
/// Compiles the schema files with Roslyn into the schema assembly, loads it in a
/// collectible context (so seed initialisers run and the assembly unloads), and
/// reflects the model. Every problem comes back as a diagnostic at a file and line.
/// </summary>
internal static class SchemaCompiler
{
    public static SchemaCompileResult Compile(SchemaCompileRequest request)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = request.Sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parseOptions, s.Path)).ToList();
        if (request.Usings.Count > 0)
            trees.Add(CSharpSyntaxTree.ParseText(
                string.Concat(request.Usings.Select(u => $"global using global::{u};\n")), parseOptions, "MigGlobalUsings.g.cs"));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: request.Nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable,
            deterministic: true, optimizationLevel: OptimizationLevel.Release);
        var references = request.References.Select(r => MetadataReference.CreateFromFile(r)).ToList();
        var compilation = CSharpCompilation.Create(request.AssemblyName, trees, references, options);

        using var pe = new MemoryStream();
        var emit = compilation.Emit(pe);
        var compileErrors = emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(ToDiagnostic).ToList();
        if (!emit.Success)
            return new SchemaCompileResult(null, null, null, compileErrors);

        var bytes = pe.ToArray();
        var map = new SourceMap(trees);
        var (model, errors) = Reflect(bytes);
        if (model is null)
            return new SchemaCompileResult(null, null, null, [.. errors.Select(map.Locate)]);
        var sqlErrors = SchemaSqlCheck.Check(model);
        if (sqlErrors.Count > 0)
            return new SchemaCompileResult(null, null, null, [.. sqlErrors.Select(map.Locate)]);
        return new SchemaCompileResult(model, SchemaHash.Compute(model), bytes, []);
    }

    private static MigDiagnostic ToDiagnostic(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        return new MigDiagnostic(MigCode.CompileError,
            $"The schema does not compile: {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)} (schema files compile on their own, against the BCL and Mig.Core)",
            d.Location.IsInSource ? span.Path : null, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1);
    }

    private static (SchemaModel? Model, IReadOnlyList<SchemaError> Errors) Reflect(byte[] assembly)
    {
        var context = new SchemaLoadContext();
        try
        {
            var loaded = context.LoadFromStream(new MemoryStream(assembly));
            var result = SchemaReflector.Reflect(loaded);
            return (result.Succeeded ? result.Model : null, result.Errors);
        }
        catch (ReflectionTypeLoadException e)
        {
            return (null, [new SchemaError(MigCode.CompileError,
                $"The schema assembly cannot be loaded: {e.LoaderExceptions.FirstOrDefault()?.Message}. Schema files may use only the BCL and Mig.Core.")]);
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>
    /// Resolves Mig.Core (and the BCL) from the tool's own context, so the schema's
    /// attributes are the very types the reflector looks for.
    /// </summary>
    private sealed class SchemaLoadContext() : AssemblyLoadContext("MigSchema", isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName assemblyName) => null;
    }
}
