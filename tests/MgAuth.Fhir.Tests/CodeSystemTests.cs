using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;

namespace MgAuth.Fhir.Tests;

/// <summary>The MgAuth findings CodeSystem is a valid R4 resource that defines every code the mapping writes.</summary>
public class CodeSystemTests
{
    [Fact]
    public void The_CodeSystem_is_valid_R4_with_unique_codes()
    {
        var system = FindingCodes.CodeSystem();

        Assert.Equal(FindingCodes.System, system.Url);
        Assert.Equal(system.Concept.Count, system.Concept.Select(c => c.Code).Distinct().Count());
        Assert.Equal(system.Count, system.Concept.Count);
        var errors = FhirValidation.Errors(system);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Every_MgAuth_code_in_a_written_Bundle_is_defined_by_the_CodeSystem()
    {
        var defined = FindingCodes.CodeSystem().Concept.Select(c => c.Code).ToHashSet();
        foreach (var example in Examples.Files.Select(Path.GetFileNameWithoutExtension))
        {
            var bundle = PasRequestWriter.Write(Examples.Request(example!), DateTimeOffset.UnixEpoch);
            var codings = bundle.Entry.SelectMany(e => e.Resource!.Select("descendants().ofType(Coding)")).OfType<Coding>().Where(c => c.System == FindingCodes.System).ToArray();

            Assert.NotEmpty(codings);
            Assert.All(codings, c => Assert.Contains(c.Code, defined));
        }
    }
}
