using MgAuth.Engine.Dsl;

namespace MgAuth.Engine.Tests.Fixtures;

/// <summary>A mixed rule set and fact set, used where one realistic session is needed (e.g. concurrency).</summary>
public static class Scenario
{
    public static Rule[] Rules() =>
    [
        new ApproveCoveredClaim(), new ClearMember(), new HoldMinors(), new FlagClaimants(), new TotalClaims(),
        new TopUpSeniorClaims(), new FrequentClaimant(), new SeniorPlanMismatch(), new ProduceAdult(),
        new AdultToEligible(), new EligibleApproval(), new NoteAdultUrgently(), new SeniorDiscount(), new GoldCover(),
        new NoteAuditHold(), new NeedsPolicy(), new NoHoldsAnywhere(), new CountForever(),
    ];

    /// <summary>Fresh fact objects every call, so sessions share nothing but the network.</summary>
    public static object[] Facts() =>
    [
        new Member("ann", 45), new Member("kid", 12), new Member("sam", 70), new Member("bob", 30), new Member("ola", 80),
        new Policy("ann", "Gold"), new Policy("kid", "Basic"), new Policy("sam", "Basic"), new Policy("ola", "Senior"),
        new Claim("ann", 120m), new Claim("ann", 80m), new Claim("kid", 9m), new Claim("bob", 15m), new Claim("sam", 40m),
        new Hold("bob"), new Hold("audit"),
    ];
}
