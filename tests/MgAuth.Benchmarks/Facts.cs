namespace MgAuth.Benchmarks;

// Input facts: five types.
public sealed record Applicant(string Id, int Age, string Region, decimal Income);
public sealed record Account(string Id, string ApplicantId, string Kind, decimal Balance);
public sealed record Transaction(string AccountId, decimal Amount, string Country);
public sealed record Document(string ApplicantId, string Kind, bool Verified);
public sealed record Watchlist(string Region);

// Derived facts, inserted by rules and matched by other rules.
public sealed record Tag(string ApplicantId, string Band);
public sealed record Flag(string ApplicantId, string Reason);
public sealed record Score(string ApplicantId, string Source, int Points);
public sealed record Decision(string ApplicantId, string Outcome);

public static class SampleFacts
{
    /// <summary>One request's worth of facts: 20 facts of 5 types.</summary>
    public static object[] Create() =>
    [
        new Applicant("A1", 34, "north", 52_000m),
        new Applicant("A2", 58, "south", 91_000m),
        new Applicant("A3", 23, "east", 28_000m),
        new Applicant("A4", 45, "west", 67_000m),
        new Account("C1", "A1", "checking", 2_400m),
        new Account("C2", "A1", "savings", 12_000m),
        new Account("C3", "A2", "credit", 800m),
        new Account("C4", "A2", "savings", 45_000m),
        new Account("C5", "A3", "checking", 300m),
        new Account("C6", "A4", "checking", 5_100m),
        new Transaction("C1", 1_200m, "DE"),
        new Transaction("C2", 5_000m, "north"),
        new Transaction("C3", 650m, "FR"),
        new Transaction("C4", 9_000m, "US"),
        new Transaction("C5", 90m, "east"),
        new Transaction("C6", 3_000m, "CH"),
        new Document("A1", "passport", true),
        new Document("A2", "payslip", true),
        new Document("A4", "passport", false),
        new Watchlist("east"),
    ];
}
