using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using MgAuth.Fhir;

namespace MgAuth.Api.Fhir;

/// <summary>What the FHIR facade serves, as the CapabilityStatement <c>GET /fhir/metadata</c> answers.</summary>
public static class FhirCapabilities
{
    public const string SubmitDefinition = "http://hl7.org/fhir/us/davinci-pas/OperationDefinition/Claim-submit";
    public const string InquireDefinition = "http://hl7.org/fhir/us/davinci-pas/OperationDefinition/Claim-inquiry";

    public static CapabilityStatement Statement(DateTimeOffset date) => new()
    {
        Status = PublicationStatus.Active,
        Date = new FhirDateTime(date).Value,
        Publisher = "MgAuth",
        Kind = CapabilityStatementKind.Instance,
        Software = new CapabilityStatement.SoftwareComponent { Name = "MgAuth" },
        Implementation = new CapabilityStatement.ImplementationComponent
        {
            Description = "Da Vinci PAS prior authorization of IVIG in myasthenia gravis (Claim/$submit, Claim/$inquire)",
        },
        FhirVersion = FHIRVersion.N4_0_1,
        Format = ["application/fhir+json", "json"],
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Documentation = "Claim/$submit and Claim/$inquire need an MgAuth API key (Authorization: Bearer …); metadata and CodeSystem do not.",
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
                        Type = "Subscription",
                        SupportedProfile = [PasSubscriptions.Profile],
                        Interaction =
                        [
                            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Create },
                            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read },
                            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Delete },
                        ],
                        Documentation = $"The PAS subscription (R5 backport, topic {PasSubscriptions.Topic}, rest-hook, full-resource): "
                            + "a notification when a pended request is decided or more documentation is asked for. Subscription/{id}/$status answers its status.",
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
