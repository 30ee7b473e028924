using System.Globalization;
using Hl7.Fhir.Model;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Policies;

namespace MgAuth.Fhir;

/// <summary>
/// A decision as a Da Vinci PAS response Bundle: the ClaimResponse first (outcome complete, preAuthRef the
/// authorization id, per item the reviewAction with its X12 306 code, number and 886 reason, the authorized
/// period, issue date, provider and quantity (in X12 673 units) of an approval, the item's trace numbers, the reasons
/// as processNotes), then the request's Claim (unless it updates an earlier one or has a line in error) and the
/// resources the ClaimResponse refers to, under the fullUrls the request gave them. Each validates against PAS
/// 2.2.1's response Bundle and ClaimResponse profiles.
/// </summary>
public static class PasResponseWriter
{
    /// <summary>The answer for case <paramref name="authorizationId"/>; <paramref name="determination"/>: a person's, once made.</summary>
    public static Bundle Write(Decision decision, string authorizationId, Determination? determination, Bundle request, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var claim = ClaimOf(request);
        var response = Response(claim, request, authorizationId, created);
        response.Disposition = Disposition(decision);
        var approved = decision.Authorized is { } a && ReviewAction.Approves(decision.X12ReviewAction) ? a : null;
        if (approved is not null) response.PreAuthPeriod = Period(approved.ValidFrom, approved.ValidThrough);

        Notes(response, decision, determination);
        var reason = ReviewActions.ReasonFor(decision);
        // An infusion line is decided with the drug it administers; the grams authorized belong to the drug's line.
        var administration = PasRequestReader.AdministrationLines(claim);
        foreach (var (item, i) in claim.Item.Select((item, i) => (item, i)))
        {
            var adjudicated = Item(item, decision.X12ReviewAction, authorizationId, reason, response);
            // A request missing its regimen has no period worked out to echo.
            if (decision.Requested is { } requested)
                adjudicated.Extension.Add(new Extension(PasExtensions.ItemRequestedServiceDate, Period(requested.PeriodStart, requested.PeriodEnd)));
            if (approved is not null)
            {
                adjudicated.Extension.Add(new Extension(PasExtensions.ItemPreAuthIssueDate, new Date(created.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
                adjudicated.Extension.Add(new Extension(PasExtensions.ItemPreAuthPeriod, Period(approved.ValidFrom, approved.ValidThrough)));
                if (response.Requestor is { } provider)
                {
                    var authorizedProvider = new Extension { Url = PasExtensions.ItemAuthorizedProvider };
                    authorizedProvider.Extension.Add(new Extension("provider", Copy(provider)!));
                    adjudicated.Extension.Add(authorizedProvider);
                }
            }
            if (approved is not null && !administration.Contains(i))
            {
                var detail = new Extension { Url = PasExtensions.ItemAuthorizedDetail };
                detail.Extension.Add(new Extension("quantity", PasRequestWriter.BillingUnits(approved.TotalGrams)));
                adjudicated.Extension.Add(detail);
            }
        }
        if (determination is not null)
        {
            var reviewer = new Extension { Url = PasExtensions.ClaimResponseReviewer };
            reviewer.Extension.Add(new Extension("wasHumanReviewedFlag", new FhirBoolean(determination.WasHumanReviewed)));
            response.Extension.Add(reviewer);
        }
        return Bundle(response, request, claim, created);
    }

    /// <summary>
    /// The answer to a well-formed request for a service no MgAuth policy decides: every item pended (A4) for a
    /// person to review. A line that names no coded service cannot be reviewed: it is answered in
    /// <c>ClaimResponse.error</c> (X12 901 AG, missing procedure code; follow-up C, correct and resubmit) instead, and the
    /// outcome is partial (error when no line is left).
    /// </summary>
    public static Bundle WriteManualReview(Bundle request, string authorizationId, DateTimeOffset created)
    {
        var claim = ClaimOf(request);
        var response = Response(claim, request, authorizationId, created);
        response.Disposition = "Pended for manual review";
        Note(response, "No MgAuth policy decides this service; a reviewer will determine the request.");
        for (var i = 0; i < claim.Item.Count; i++)
        {
            var item = claim.Item[i];
            if (item.ProductOrService?.Coding.Any(c => c.System is not null && c.Code is not null) == true)
                Item(item, ReviewAction.Pended, authorizationId, ReviewActions.RequiresMedicalReview, response);
            else
                response.Error.Add(LineError(item, $"Claim.item[{i}].productOrService", MissingProcedureCode));
        }
        if (response.Error.Count > 0)
            response.Outcome = response.Item.Count > 0 ? ClaimProcessingCodes.Partial : ClaimProcessingCodes.Error;
        return Bundle(response, request, claim, created);
    }

    private static readonly Coding MissingProcedureCode = new(Systems.X12RejectReason, "AG", "Invalid/Missing Procedure Code(s)");
    private static readonly Coding CorrectAndResubmit = new(Systems.X12FollowUpAction, "C", "Please Correct and Resubmit");

    private static ClaimResponse.ErrorComponent LineError(Claim.ItemComponent item, string path, Coding reason)
    {
        var error = new ClaimResponse.ErrorComponent { ItemSequence = item.Sequence, Code = new CodeableConcept { Coding = [reason] } };
        error.Extension.Add(new Extension(PasExtensions.ErrorPath, new FhirString(path)));
        error.Extension.Add(new Extension(PasExtensions.ErrorFollowupAction, new CodeableConcept { Coding = [CorrectAndResubmit] }));
        return error;
    }

    private static Claim ClaimOf(Bundle request) =>
        request?.Entry.FirstOrDefault()?.Resource as Claim
        ?? throw new ArgumentException("A PAS request Bundle starts with its Claim.", nameof(request));

    private static ClaimResponse Response(Claim claim, Bundle request, string? authorizationId, DateTimeOffset created)
    {
        var response = new ClaimResponse
        {
            Status = FinancialResourceStatusCodes.Active,
            Type = Copy(claim.Type) ?? new CodeableConcept { Coding = [PasCodes.Professional] },
            Use = ClaimUseCode.Preauthorization,
            Patient = Copy(claim.Patient) ?? throw new ArgumentException("The request's Claim names no patient.", nameof(claim)),
            Created = new FhirDateTime(created).Value,
            Insurer = Copy(claim.Insurer) ?? throw new ArgumentException("The request's Claim names no insurer.", nameof(claim)),
            Requestor = claim.Provider?.Reference is not null ? Copy(claim.Provider) : null,
            Request = new ResourceReference(request.Entry[0].FullUrl ?? (claim.Id is { } id ? "Claim/" + id : null))
            {
                Identifier = Copy(claim.Identifier.FirstOrDefault()),
            },
            Outcome = ClaimProcessingCodes.Complete,
            PreAuthRef = authorizationId,
            Insurance = claim.Insurance
                .Where(i => i.Sequence is not null && i.Focal is not null && i.Coverage?.Reference is not null)
                .Select(i => new ClaimResponse.InsuranceComponent { Sequence = i.Sequence, Focal = i.Focal, Coverage = Copy(i.Coverage)! })
                .ToList(),
        };
        if (authorizationId is not null) response.Identifier.Add(new Identifier(Systems.AuthorizationId, authorizationId));
        return response;
    }

    private static T? Copy<T>(T? element) where T : Base => (T?)element?.DeepCopy();

    private static ClaimResponse.ItemComponent Item(Claim.ItemComponent item, string x12, string? number, string? reason, ClaimResponse response)
    {
        var adjudication = new ClaimResponse.AdjudicationComponent
        {
            Category = new CodeableConcept { Coding = [new Coding(Systems.Adjudication, "submitted", "Submitted Amount")] },
        };
        adjudication.Extension.Add(ReviewActions.Extension(x12, number, reason));
        var adjudicated = new ClaimResponse.ItemComponent
        {
            ItemSequence = item.Sequence,
            NoteNumber = response.ProcessNote.Select(n => n.Number).ToList(),
            Adjudication = [adjudication],
        };
        // The submitter's trace numbers for the line come back, and the payer's own beside them.
        foreach (var trace in item.Extension.Where(e => e.Url == PasExtensions.ItemTraceNumber && e.Value is Identifier))
            adjudicated.Extension.Add(Copy(trace)!);
        if (number is not null)
            adjudicated.Extension.Add(new Extension(PasExtensions.ItemTraceNumber,
                new Identifier(Systems.ItemTraceNumber, string.Create(CultureInfo.InvariantCulture, $"{number}-{item.Sequence}"))));
        response.Item.Add(adjudicated);
        return adjudicated;
    }

    private static void Notes(ClaimResponse response, Decision decision, Determination? determination)
    {
        if (determination is not null)
            Note(response, $"Clinician determination ({determination.Action.ToString().ToLowerInvariant()}): {determination.Rationale}");
        foreach (var reason in decision.Reasons)
            Note(response, $"{reason.Message} ({reason.Code}, {reason.PolicyRef})");
        foreach (var missing in decision.MissingDocumentation)
            Note(response, ContractFieldMap.ForMissing(missing) is { } field
                ? $"Missing documentation: {missing}. Send it as {ContractFieldMap.SendAs(field)}."
                : $"Missing documentation: {missing}.");
        if (decision.X12ReviewAction == ReviewAction.Pended && decision.MissingDocumentation.Count == 0 && determination is null)
            Note(response, "Pended for review by a clinician before the determination is final.");
        if (decision.Authorized is { } authorized && ReviewAction.Approves(decision.X12ReviewAction))
            Note(response, string.Create(CultureInfo.InvariantCulture,
                $"Authorized: {authorized.Cycles} course(s) of {authorized.CourseGrams} g, {authorized.TotalGrams} g in all, {authorized.ValidFrom:yyyy-MM-dd} to {authorized.ValidThrough:yyyy-MM-dd}."));
    }

    private static void Note(ClaimResponse response, string text) => response.ProcessNote.Add(new ClaimResponse.NoteComponent
    {
        Number = response.ProcessNote.Count + 1,
        Type = NoteType.Display,
        Text = text,
    });

    /// <summary>The decision in a few words, as a ClaimResponse.disposition (and CRD's coverage-information reason) says it.</summary>
    internal static string Disposition(Decision decision) => decision.X12ReviewAction switch
    {
        ReviewAction.CertifiedInTotal => "Approved",
        ReviewAction.Modified => "Approved as modified",
        ReviewAction.NotCertified => decision.DenialKind == DenialKind.Administrative ? "Denied: not covered by this policy" : "Denied: not medically necessary",
        _ => decision.MissingDocumentation.Count > 0 ? "Pended: documentation missing" : "Pended for clinician review",
    };

    private static Period Period(DateOnly from, DateOnly through) => new() { Start = FhirDates.Text(from), End = FhirDates.Text(through) };

    // The ClaimResponse first, then what it refers to, under the request's own fullUrls.
    private static Bundle Bundle(ClaimResponse response, Bundle request, Claim claim, DateTimeOffset created)
    {
        var index = new BundleIndex(request);
        var responseId = Guid.NewGuid();
        var bundle = new Bundle
        {
            Identifier = new Identifier("urn:ietf:rfc:3986", "urn:uuid:" + responseId.ToString("D")),
            Type = Hl7.Fhir.Model.Bundle.BundleType.Collection,
            Timestamp = created,
        };
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:" + Guid.NewGuid().ToString("D"), Resource = response });
        // The Claim comes back beside its answer; not an update (Claim.related: ClaimResponse.request names PAS's
        // first-submission Claim profile, which forbids it), nor a Claim with a line in error (it fails that profile).
        if (claim.Related.Count == 0 && response.Error.Count == 0) bundle.Entry.Add(Copy(request.Entry[0])!);
        foreach (var reference in new[] { response.Patient, response.Insurer, response.Requestor }.Concat(response.Insurance.Select(i => i.Coverage)))
            if (index.Resolve(reference) is ({ } resource, _))
            {
                var entry = request.Entry.First(e => ReferenceEquals(e.Resource, resource));
                if (bundle.Entry.All(e => e.FullUrl != entry.FullUrl)) bundle.Entry.Add(Copy(entry)!);
            }
        return bundle;
    }
}
