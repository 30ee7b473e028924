namespace MgAuth.Domain.Facts;

// Policy lists become facts of their own so rules can join on them.

public sealed record CoveredDiagnosis(string Code);

public sealed record FormularyProduct(string Name);
