namespace MgAuth.Fhir;

/// <summary>The code systems and identifier systems the mapping uses, as FHIR names them.</summary>
public static class Systems
{
    public const string Loinc = "http://loinc.org";
    public const string Snomed = "http://snomed.info/sct";
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public const string Ucum = "http://unitsofmeasure.org";
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
    public const string Hcpcs = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
    public const string Ndc = "http://hl7.org/fhir/sid/ndc";
    public const string Cpt = "http://www.ama-assn.org/go/cpt";
    public const string ConditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    public const string ConditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    public const string AllergyVerification = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";
    public const string ObservationInterpretation = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
    public const string Npi = "http://hl7.org/fhir/sid/us-npi";
    public const string IdentifierType = "http://terminology.hl7.org/CodeSystem/v2-0203";
    public const string ClaimType = "http://terminology.hl7.org/CodeSystem/claim-type";
    public const string ProcessPriority = "http://terminology.hl7.org/CodeSystem/processpriority";
    public const string Adjudication = "http://terminology.hl7.org/CodeSystem/adjudication";
    public const string CoverageClass = "http://terminology.hl7.org/CodeSystem/coverage-class";
    public const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";
    public const string ProcessNoteType = "http://hl7.org/fhir/note-type";

    /// <summary>X12 278 code lists as the PAS guide names them.</summary>
    public const string X12ReviewAction = "https://codesystem.x12.org/005010/306";
    public const string X12ReviewDecisionReason = "https://codesystem.x12.org/external/886";
    public const string X12ServiceType = "https://codesystem.x12.org/005010/1365";
    public const string X12RequestType = "https://codesystem.x12.org/005010/1525";
    public const string X12CertificationType = "https://codesystem.x12.org/005010/1322";
    public const string X12QuantityQualifier = "https://codesystem.x12.org/005010/673";
    public const string X12RejectReason = "https://codesystem.x12.org/005010/901";
    public const string X12FollowUpAction = "https://codesystem.x12.org/005010/889";
    public const string X12IndividualRelationship = "https://codesystem.x12.org/005010/1069";
    public const string PlaceOfService = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set";
    public const string SubscriberRelationship = "http://terminology.hl7.org/CodeSystem/subscriber-relationship";
    public const string DataAbsentReason = "http://terminology.hl7.org/CodeSystem/data-absent-reason";

    /// <summary>Member ids as MgAuth issues them.</summary>
    public const string MemberId = "http://mgauth.example/fhir/sid/member-id";

    /// <summary>Authorization ids (the <c>PA-…</c> case ids) as MgAuth issues them.</summary>
    public const string AuthorizationId = "http://mgauth.example/fhir/sid/authorization-id";

    /// <summary>The payer's trace number for one line of a case (<c>PA-…-1</c>), as MgAuth issues them.</summary>
    public const string ItemTraceNumber = "http://mgauth.example/fhir/sid/item-trace-number";
}

/// <summary>The Da Vinci PAS 2.2.1 extensions the facade reads or writes.</summary>
public static class PasExtensions
{
    private const string Base = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/";
    public const string RequestedService = Base + "extension-requestedService";
    public const string ServiceItemRequestType = Base + "extension-serviceItemRequestType";
    public const string CertificationType = Base + "extension-certificationType";
    public const string ReviewAction = Base + "extension-reviewAction";
    public const string ReviewActionCode = Base + "extension-reviewActionCode";
    public const string ItemPreAuthPeriod = Base + "extension-itemPreAuthPeriod";
    public const string ItemRequestedServiceDate = Base + "extension-itemRequestedServiceDate";
    public const string ItemAuthorizedDetail = Base + "extension-itemAuthorizedDetail";
    public const string ClaimResponseReviewer = Base + "extension-claimResponseReviewer";
    public const string ItemTraceNumber = Base + "extension-itemTraceNumber";
    public const string ItemPreAuthIssueDate = Base + "extension-itemPreAuthIssueDate";
    public const string ItemAuthorizedProvider = Base + "extension-itemAuthorizedProvider";
    public const string ErrorPath = Base + "extension-errorPath";
    public const string ErrorFollowupAction = Base + "extension-errorFollowupAction";
}
