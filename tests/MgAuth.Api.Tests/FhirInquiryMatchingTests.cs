using Hl7.Fhir.Model;
using MgAuth.Api.Tests.Support;
using MgAuth.Fhir;
using static MgAuth.Api.Tests.FhirClaimUpdateTests;
using static MgAuth.Api.Tests.Support.FhirCalls;
using Task = System.Threading.Tasks.Task;

namespace MgAuth.Api.Tests;

/// <summary>
/// $inquire as PAS's query by example: two requests sharing one Claim identifier (the guide's own examples do) are told
/// apart by the member, the provider, the service and the service dates the inquiry gives.
/// </summary>
public sealed class FhirInquiryMatchingTests(MgAuthFactory factory) : IClassFixture<MgAuthFactory>
{
    // Two requests (two members) sent under one Claim identifier, the second later.
    private async Task<(Bundle First, string FirstId, Bundle Second, string SecondId)> SharingAnIdentifierAsync(Identifier shared)
    {
        var first = BundleOf(Examples.ForNewMember(Examples.Exacerbation));
        var second = BundleOf(Examples.ForNewMember(Examples.Crisis));
        ClaimOf(first).Identifier = [shared];
        ClaimOf(second).Identifier = [shared];
        var firstId = ClaimResponseOf(await factory.ProviderA.SubmitFhirOkAsync(first)).Id();
        var secondId = ClaimResponseOf(await factory.ProviderA.SubmitFhirOkAsync(second)).Id();
        return (first, firstId, second, secondId);
    }

    private static Identifier Shared() => new("http://example.org/PATIENT_EVENT_TRACE_NUMBER", "T" + Guid.NewGuid().ToString("N")[..8]);

    // The inquiry by example: the identifier, plus the Patient (member identifier) of the request given.
    private static Bundle InquiryFor(Identifier identifier, Bundle request, bool patient = true, bool service = false, bool dates = false)
    {
        var inquiry = Inquiry(identifier);
        var claim = ClaimOf(inquiry);
        var asked = ClaimOf(request);
        if (patient)
        {
            var member = (Patient)request.Entry.Select(e => e.Resource).OfType<Patient>().Single().DeepCopy();
            var url = "urn:uuid:" + Guid.NewGuid();
            inquiry.Entry.Add(new Bundle.EntryComponent { FullUrl = url, Resource = member });
            claim.Patient = new ResourceReference(url);
        }
        if (service || dates)
            claim.Item.Add(new Claim.ItemComponent
            {
                Sequence = 1,
                ProductOrService = service ? (CodeableConcept)asked.Item[0].ProductOrService.DeepCopy() : new CodeableConcept { Text = "any" },
                Serviced = dates ? (DataType)asked.Item[0].Serviced!.DeepCopy() : null,
            });
        return inquiry;
    }

    [Fact]
    public async Task Two_requests_sharing_an_identifier_are_told_apart_by_the_member()
    {
        var shared = Shared();
        var (first, firstId, second, secondId) = await SharingAnIdentifierAsync(shared);

        var forFirst = ClaimResponseOf(Assert.Single(await factory.ProviderA.InquireAsync(InquiryFor(shared, first))));
        var forSecond = ClaimResponseOf(Assert.Single(await factory.ProviderA.InquireAsync(InquiryFor(shared, second))));

        Assert.Equal(firstId, forFirst.Id());
        Assert.Equal(secondId, forSecond.Id());
    }

    [Fact]
    public async Task The_service_and_dates_must_fit_as_well_and_any_criterion_that_does_not_finds_nothing()
    {
        var shared = Shared();
        var (first, firstId, _, _) = await SharingAnIdentifierAsync(shared);
        var everything = InquiryFor(shared, first, service: true, dates: true);
        var otherDay = InquiryFor(shared, first, dates: true);
        ClaimOf(otherDay).Item[0].Serviced = new Date(2001, 1, 1);
        var otherService = InquiryFor(shared, first, service: true);
        ClaimOf(otherService).Item[0].ProductOrService = new CodeableConcept("https://bluebutton.cms.gov/resources/codesystem/hcpcs", "J9999");
        var otherMember = InquiryFor(shared, first);
        otherMember.Entry.Select(e => e.Resource).OfType<Patient>().Single().Identifier = [new Identifier(Systems.MemberId, Examples.NewMemberId())];

        var found = ClaimResponseOf(Assert.Single(await factory.ProviderA.InquireAsync(everything)));

        Assert.Equal(firstId, found.Id());
        Assert.Empty(await factory.ProviderA.InquireAsync(otherDay));
        Assert.Empty(await factory.ProviderA.InquireAsync(otherService));
        Assert.Empty(await factory.ProviderA.InquireAsync(otherMember));
    }

    [Fact]
    public async Task Another_organization_inquiring_with_the_right_member_and_identifier_finds_nothing()
    {
        var shared = Shared();
        var (first, _, _, _) = await SharingAnIdentifierAsync(shared);

        Assert.Empty(await factory.ProviderB.InquireAsync(InquiryFor(shared, first)));
    }
}
