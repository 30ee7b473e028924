using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using MgAuth.Fhir;

namespace MgAuth.Api.Fhir;

/// <summary>What the FHIR facade serves, as the CapabilityStatement <c>GET /fhir/metadata</c> answers.</summary>
public static class FhirCapabilities
{
    public const string SubmitDefinition = "http://hl7.org/fhir/us/davinci-pas/OperationDefinition/Claim-submit";
    public const string InquireDefinition = "http://hl7.org/fhir/us/davinci-pas/OperationDefinition/Claim-inquiry";

    /// <summary>PAS 2.2.1's server (intermediary) CapabilityStatement, which this one instantiates.</summary>
    public const string PasServer = "http://hl7.org/fhir/us/davinci-pas/CapabilityStatement/IntermediaryCapabilities";

    public const string PasGuide = "http://hl7.org/fhir/us/davinci-pas/ImplementationGuide/hl7.fhir.us.davinci-pas";

    /// <summary>The R4 backport's way to name the topics a server offers, on the Subscription resource.</summary>
    public const string TopicCanonicalExtension = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical";

    public const string BackportSubscriptionProfile = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription";
    public const string QuestionnairePackageDefinition = "http://hl7.org/fhir/us/davinci-dtr/OperationDefinition/questionnaire-package";
    public const string StatusDefinition = "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-status";

    public static CapabilityStatement Statement(DateTimeOffset date) => new()
    {
        Status = PublicationStatus.Active,
        Date = new FhirDateTime(date).Value,
        Publisher = "MgAuth",
        Kind = CapabilityStatementKind.Instance,
        Software = new CapabilityStatement.SoftwareComponent { Name = "MgAuth" },
        Implementation = new CapabilityStatement.ImplementationComponent
        {
            Description = "Da Vinci PAS prior authorization of IVIG in myasthenia gravis (Claim/$submit, Claim/$inquire) and its DTR questionnaire (Questionnaire/$questionnaire-package)",
        },
        Instantiates = [PasServer],
        ImplementationGuide = [PasGuide],
        FhirVersion = FHIRVersion.N4_0_1,
        Format = ["application/fhir+json", "json"],
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Documentation = "Claim/$submit, Claim/$inquire and Questionnaire/$questionnaire-package need an MgAuth API key or a SMART backend access token (Authorization: Bearer …); metadata, CodeSystem and Questionnaire reads do not.",
                Resource =
                [
                    new CapabilityStatement.ResourceComponent
                    {
                        Type = "Claim",
                        Operation =
                        [
                            new CapabilityStatement.OperationComponent { Name = "submit", Definition = SubmitDefinition },
                            new CapabilityStatement.OperationComponent { Name = "inquire", Definition = InquireDefinition },
                        ],
                    },
                    new CapabilityStatement.ResourceComponent
                    {
                        Extension = [new Extension(TopicCanonicalExtension, new Canonical(PasSubscriptions.Topic))],
                        Type = "Subscription",
                        SupportedProfile = [PasSubscriptions.Profile, BackportSubscriptionProfile],
                        Operation = [new CapabilityStatement.OperationComponent { Name = "status", Definition = StatusDefinition }],
                        Interaction =
                        [
                            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Create },
                            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read },
                            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Delete },
                        ],
                        Documentation = $"The PAS subscription (R5 backport, topic {PasSubscriptions.Topic}, rest-hook, full-resource): "
                            + "a notification when a pended request is decided or more documentation is asked for. Subscription/{id}/$status answers its status. "
                            + "The filter orgIdentifier= (or org-identifier=) names the subscriber's own organization by an NPI or TIN recorded for it.",
                    },
                    new CapabilityStatement.ResourceComponent
                    {
                        Type = "Questionnaire",
                        Interaction = [new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read }],
                        Operation = [new CapabilityStatement.OperationComponent { Name = "questionnaire-package", Definition = QuestionnairePackageDefinition }],
                        Documentation = "Da Vinci DTR 2.0.1: for an IVIG order and coverage, the questionnaire asking what the policy reads and no standard code carries "
                            + $"(read: Questionnaire/{DtrQuestionnaire.Id}, as the release in force asks it; CRD's cards link there).",
                    },
                    new CapabilityStatement.ResourceComponent
                    {
                        Type = "CodeSystem",
                        Interaction = [new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read }],
                        Documentation = $"{FindingCodes.System}: the findings MgAuth reads from a PAS request (id {FindingCodes.CodeSystem().Id}).",
                    },
                ],
            },
        ],
    };
}
