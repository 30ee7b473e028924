using Hl7.Fhir.Model;

namespace MgAuth.Fhir;

/// <summary>A stored PAS subscription as the FHIR side needs it (its headers are never shown).</summary>
public sealed record SubscriptionView(string Id, string Status, string? Reason, string Endpoint, string OrgIdentifier,
    DateTimeOffset? End, long EventCount);

/// <summary>
/// The PAS subscription (R5 backport on R4): the Subscription resource as read back, its status Parameters, and the
/// notification Bundles — a <c>history</c> Bundle whose first entry is the status Parameters and, for an event,
/// whose second is the PAS response Bundle (ClaimResponse first) the event made available.
/// </summary>
public static class PasSubscriptions
{
    public const string Topic = "http://hl7.org/fhir/us/davinci-pas/SubscriptionTopic/PASSubscriptionTopic";
    public const string Profile = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-subscription";
    public const string FilterCriteriaExtension = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria";
    public const string PayloadContentExtension = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content";
    public const string StatusProfile = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4";
    public const string NotificationProfile = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-notification-r4";
    public const string OrgIdentifierFilter = "orgIdentifier";

    /// <summary>The filter's names accepted: the topic's <c>canFilterBy</c> parameter and the search parameter's spelling.</summary>
    public static readonly string[] OrgIdentifierFilters = [OrgIdentifierFilter, "org-identifier"];
    public const string Payload = "application/fhir+json";
    public const string FullResource = "full-resource";

    public const string Handshake = "handshake";
    public const string EventNotification = "event-notification";
    public const string QueryStatus = "query-status";

    /// <summary>The subscription as stored; <c>channel.header</c> is left out (it may hold the EHR's credentials).</summary>
    public static Subscription Resource(SubscriptionView view)
    {
        var subscription = new Subscription
        {
            Id = view.Id,
            Meta = new Meta { Profile = [Profile] },
            Status = Hl7.Fhir.Utility.EnumUtility.ParseLiteral<Subscription.SubscriptionStatus>(view.Status),
            Reason = view.Reason ?? "Results of pended prior-authorization requests",
            Criteria = Topic,
            End = view.End,
            Channel = new Subscription.ChannelComponent
            {
                Type = Subscription.SubscriptionChannelType.RestHook,
                Endpoint = view.Endpoint,
                Payload = Payload,
            },
        };
        subscription.CriteriaElement.AddExtension(FilterCriteriaExtension, new FhirString($"{OrgIdentifierFilter}={view.OrgIdentifier}"));
        subscription.Channel.PayloadElement.AddExtension(PayloadContentExtension, new Code(FullResource));
        return subscription;
    }

    /// <summary>The backport SubscriptionStatus (Parameters); <paramref name="errors"/>: why recent deliveries failed.</summary>
    public static Parameters Status(SubscriptionView view, string type, IEnumerable<string>? errors = null,
        (long Number, DateTimeOffset At, string FocusUrl)? notificationEvent = null)
    {
        var status = new Parameters { Id = Guid.NewGuid().ToString("D"), Meta = new Meta { Profile = [StatusProfile] } };
        status.Add("subscription", new ResourceReference("Subscription/" + view.Id));
        status.Add("topic", new Canonical(Topic));
        status.Add("status", new Code(view.Status));
        status.Add("type", new Code(type));
        // R4 has no integer64: the backport carries the count as a string.
        status.Add("events-since-subscription-start", new FhirString(view.EventCount.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (notificationEvent is var (number, at, focus))
            status.Parameter.Add(new Parameters.ParameterComponent
            {
                Name = "notification-event",
                Part =
                [
                    new() { Name = "event-number", Value = new FhirString(number.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
                    new() { Name = "timestamp", Value = new Instant(at) },
                    new() { Name = "focus", Value = new ResourceReference(focus) },
                ],
            });
        foreach (var error in errors ?? [])
            status.Add("error", new CodeableConcept { Text = error });
        return status;
    }

    /// <summary>The first notification of a subscription: proves the endpoint answers before any result is sent.</summary>
    public static Bundle HandshakeNotification(SubscriptionView view, DateTimeOffset now) =>
        Notification(view, Status(view, Handshake), now);

    /// <summary>Event <paramref name="number"/>: the PAS response Bundle of a case whose result changed.</summary>
    public static Bundle EventNotificationOf(SubscriptionView view, long number, Bundle response, DateTimeOffset now)
    {
        var focus = "urn:uuid:" + Guid.NewGuid().ToString("D");
        var bundle = Notification(view, Status(view, EventNotification, notificationEvent: (number, now, focus)), now);
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = focus,
            Resource = response,
            // A history Bundle's entries say how they came to be (bdl-3, bdl-4): the result was created.
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Claim/$submit" },
            Response = new Bundle.ResponseComponent { Status = "200" },
        });
        return bundle;
    }

    private static Bundle Notification(SubscriptionView view, Parameters status, DateTimeOffset now)
    {
        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString("D"),
            Meta = new Meta { Profile = [NotificationProfile] },
            Type = Bundle.BundleType.History,
            Timestamp = now,
        };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:" + status.Id,
            Resource = status,
            // POST, not the backport examples' GET: core R4 (bdl-3b, as Firely's validator checks it) lets only a
            // POST, PUT or PATCH entry of a history Bundle carry a resource.
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = $"Subscription/{view.Id}/$status" },
            Response = new Bundle.ResponseComponent { Status = "200" },
        });
        return bundle;
    }
}
