using Mig.Schema;

namespace Mig.CodeGen;

/// <summary>
/// One SQL statement the generated code runs, as the emitter wrote it, so the build can
/// prepare exactly that text against the schema (not a re-derivation of it).
/// </summary>
/// <param name="ClrType">The record whose generated class declares it ('+' for nesting).</param>
/// <param name="Method">The generated method that first runs it (<c>SelectOneByEmailAsync</c>).</param>
/// <param name="Constant">The constant holding it (<c>StudentQueries.SelectOneByEmailSql</c>).</param>
/// <param name="Sql">The statement.</param>
/// <param name="Parameters">The parameter names its command adds, in binding order.</param>
/// <param name="Query">The query attribute it comes from; null for the insert every table gets.</param>
internal sealed record GeneratedStatement(string ClrType, string Method, string Constant, string Sql, IReadOnlyList<string> Parameters, QueryModel? Query);
