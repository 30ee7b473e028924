using Hl7.Fhir.Model;

namespace MgAuth.Fhir.Tests;

/// <summary>The PAS subscription: the guide's example reads as an EHR sends it; what MgAuth sends back is core R4.</summary>
public class SubscriptionTests
{
    private static readonly SubscriptionView View = new("0c4f7c1e-2f7a-4b7e-9a55-6d3c1f00aa01", "active", null,
        "https://ehr.example.org/pas-notifications", "org-a", null, 3);

    [Fact]
    public void The_guides_example_subscription_reads_with_its_endpoint_and_organization_filter()
    {
        var (request, problems) = PasSubscriptionReader.Read(
            File.ReadAllText(Path.Combine(FhirValidation.PackageFolder, "subscriptions", "Subscription-PASSubscriptionExample.json")));

        Assert.Empty(problems);
        Assert.Equal("http://example.org/send-me-subscription-notifications", request!.Endpoint.AbsoluteUri);
        Assert.Equal("1234567893", request.OrgIdentifier);
        Assert.Empty(request.Headers);
    }

    [Fact]
    public void Another_resource_is_not_a_subscription()
    {
        var (request, problems) = PasSubscriptionReader.Read("""{"resourceType":"Patient","id":"p1"}""");

        Assert.Null(request);
        Assert.Equal("resourceType", Assert.Single(problems).Path);
    }

    [Fact]
    public void The_subscription_as_read_back_keeps_the_PAS_topic_filter_and_content_and_is_valid_R4()
    {
        var subscription = PasSubscriptions.Resource(View);

        Assert.Equal(PasSubscriptions.Topic, subscription.Criteria);
        Assert.Equal("orgIdentifier=org-a", subscription.CriteriaElement.GetExtensionValue<FhirString>(PasSubscriptions.FilterCriteriaExtension).Value);
        Assert.Equal("full-resource", subscription.Channel.PayloadElement.GetExtensionValue<Code>(PasSubscriptions.PayloadContentExtension).Value);
        AssertCoreValid(subscription);
    }

    [Fact]
    public void A_handshake_is_a_history_Bundle_holding_only_the_status_and_is_valid_R4()
    {
        var handshake = PasSubscriptions.HandshakeNotification(View, new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

        Assert.Equal(Bundle.BundleType.History, handshake.Type);
        var status = Assert.IsType<Parameters>(Assert.Single(handshake.Entry).Resource);
        Assert.Equal("handshake", status.GetSingleValue<Code>("type")?.Value);
        Assert.Equal($"Subscription/{View.Id}", status.GetSingleValue<ResourceReference>("subscription")?.Reference);
        AssertCoreValid(handshake);
    }

    // The backport's profiles are not reachable offline: checked against core R4 only.
    private static void AssertCoreValid(Resource resource)
    {
        var copy = (Resource)resource.DeepCopy();
        foreach (var claimed in new[] { copy }.Concat((copy as Bundle)?.Entry.Select(e => e.Resource) ?? []))
            if (claimed?.Meta?.Profile.Any(p => p != null && p.StartsWith("http://hl7.org/fhir/uv/subscriptions-backport/", StringComparison.Ordinal)) == true)
                claimed.Meta = null;
        if (copy is Subscription subscription) subscription.Meta = null;
        Assert.Empty(FhirValidation.Errors(copy));
    }
}
