using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>What is wrong with a FHIR request, at a FHIRPath-like location (e.g. <c>Bundle.entry[0].resource.use</c>).</summary>
public sealed record FhirProblem(string Path, string Message)
{
    /// <summary>The problems as the OperationOutcome a FHIR server answers a request it cannot process with.</summary>
    public static OperationOutcome ToOperationOutcome(IEnumerable<FhirProblem> problems)
    {
        var outcome = new OperationOutcome();
        foreach (var problem in problems)
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = OperationOutcome.IssueType.Invalid,
                Diagnostics = problem.Message,
                Expression = [problem.Path],
            });
        return outcome;
    }
}
