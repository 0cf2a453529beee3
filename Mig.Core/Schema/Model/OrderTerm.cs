namespace Mig.Schema;

/// <summary>One term of a query's ordering, parsed from the attribute's OrderBy by the reflector.</summary>
/// <param name="Property">The C# property ordered by.</param>
/// <param name="Descending">True for DESC; ASC or no direction is ascending.</param>
internal sealed record OrderTerm(string Property, bool Descending);
