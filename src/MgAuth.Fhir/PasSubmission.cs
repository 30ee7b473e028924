using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using MgAuth.Domain.Requests;

namespace MgAuth.Fhir;

public enum SubmissionKind
{
    /// <summary>An IVIG request: <see cref="PasSubmission.Request"/> holds it as contract JSON.</summary>
    Ivig,

    /// <summary>A well-formed PAS request for a service no MgAuth policy decides: pend it for manual review.</summary>
    OtherService,

    /// <summary>Not a PAS request Bundle MgAuth can read: <see cref="PasSubmission.Problems"/> say why.</summary>
    Invalid,
}

/// <summary>What a PAS request Bundle turned out to be.</summary>
public sealed class PasSubmission
{
    public required SubmissionKind Kind { get; init; }

    /// <summary>The Bundle as parsed (null only when it could not be parsed at all).</summary>
    public Bundle? Bundle { get; init; }

    /// <summary>The contract request, for <see cref="RequestReader"/> to validate exactly like one sent as JSON.</summary>
    public JsonObject? Request { get; init; }

    /// <summary>For each contract path read (or looked for), the FHIR path it came from.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<FhirProblem> Problems { get; init; } = [];

    /// <summary>
    /// IVIG requests only: the member's plan as <c>Coverage.class</c> (type plan) names it. Never a policy id: the
    /// caller routes it to a policy through its configured plan table.
    /// </summary>
    public string? Plan { get; init; }

    /// <summary>Other services only: what the items ask for, as <c>system|code</c> or text.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    public Claim? Claim => Bundle?.Entry.FirstOrDefault()?.Resource as Claim;

    /// <summary>
    /// The FHIR path behind a contract path from a problem document (<c>member.weightKg</c>,
    /// <c>priorTherapies[1].months</c>, <c>$</c>): its own source, else its nearest parent's, else the Claim.
    /// </summary>
    public string FhirPathOf(string contractPath)
    {
        for (var path = contractPath; path.Length > 0; path = Parent(path))
            if (Sources.TryGetValue(path, out var source)) return source;
        return BundleIndex.PathOf(0);
    }

    public IReadOnlyList<FhirProblem> ProblemsOf(ProblemDocument problem) => ProblemsOf(problem.Errors);

    /// <summary>A rejected contract request's errors (by contract path) at the FHIR paths they came from.</summary>
    public IReadOnlyList<FhirProblem> ProblemsOf(IReadOnlyDictionary<string, string[]> errors) =>
        errors.SelectMany(e => e.Value.Select(message => new FhirProblem(FhirPathOf(e.Key), $"{e.Key} {message}"))).ToArray();

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }
}
