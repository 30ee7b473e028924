namespace MgAuth.Engine.Tests.Fixtures;

// Input facts. Records on purpose: two equal-valued facts are still two facts (the engine works by identity).
public sealed record Member(string Id, int Age);
public sealed record Policy(string MemberId, string Plan);
public sealed record Claim(string MemberId, decimal Amount);
public sealed record Hold(string MemberId);
public sealed record Counter(int N);

// Derived facts, inserted by rule actions.
public sealed record Approval(string MemberId, string Plan, decimal Amount);
public sealed record Adult(Member Member);
public sealed record Eligible(Member Member);
public sealed record Cleared(string MemberId);
public sealed record HasClaims(string MemberId);
public sealed record ClaimTotal(string MemberId, int Count, decimal Sum);
public sealed record Note(string Text);
