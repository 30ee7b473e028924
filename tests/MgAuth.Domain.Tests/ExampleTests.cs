using System.Text;
using System.Text.Json;
using MgAuth.Domain.Requests;
using static MgAuth.Domain.Tests.TestRequests;

namespace MgAuth.Domain.Tests;

public class ExampleTests
{
    [Theory]
    [InlineData("bridging-steroids")]
    [InlineData("crisis")]
    [InlineData("exacerbation")]
    [InlineData("over-ceiling")]
    [InlineData("pre-thymectomy")]
    [InlineData("refractory-maintenance")]
    public void Every_contract_example_is_accepted(string name)
    {
        Accepted(Example(name));
    }

    [Fact]
    public void Exacerbation_reads_every_given_value()
    {
        AuthorizationRequest request = Accepted(Example("exacerbation"));

        Assert.Equal(Urgency.Standard, request.Urgency);
        Assert.Equal(Indication.Exacerbation, request.Indication);
        Assert.Equal("M-2001", request.Member.Id);
        Assert.Equal(new DateOnly(1957, 9, 2), request.Member.BirthDate);
        Assert.Equal(Sex.Male, request.Member.Sex);
        Assert.Equal(78.0m, request.Member.WeightKg);
        Assert.Equal(176m, request.Member.HeightCm);
        Assert.Equal("1234567893", request.Provider?.Npi);
        Assert.Equal("G70.01", request.Diagnosis.Icd10);
        Assert.Equal(MgfaClass.IIIa, request.Diagnosis.MgfaClass);
        Assert.Equal(AntibodyResult.Positive, request.Diagnosis.AchrAntibody);
        Assert.Equal(AntibodyResult.Negative, request.Diagnosis.MuskAntibody);
        Assert.Equal(AntibodyResult.Unknown, request.Diagnosis.Lrp4Antibody);
        Assert.Equal(Electrodiagnostics.Supportive, request.Diagnosis.Electrodiagnostics);
        Assert.Equal(new ScorePair { Current = 10, Baseline = 6 }, request.Clinical.MgAdl);
        Assert.Equal(new ScorePair { Current = 16, Baseline = 11 }, request.Clinical.Qmg);
        Assert.True(request.Clinical.BulbarDysfunction);
        Assert.Equal(78m, request.Clinical.Egfr);
        Assert.Equal(IgaStatus.Normal, request.Clinical.IgaStatus);
        Assert.Equal("Privigen", request.Regimen.Product);
        Assert.Equal(30m, request.Regimen.GramsPerDay);
        Assert.Equal(5, request.Regimen.InfusionDays);
        Assert.Equal(1, request.Regimen.Cycles);
        Assert.Null(request.Regimen.IntervalDays);
        Assert.Equal(new DateOnly(2026, 12, 1), request.Regimen.StartDate);
        Assert.Equal(
            [
                new PriorTherapyData { Agent = "pyridostigmine", Months = 30, Outcome = TherapyOutcome.InadequateResponse },
                new PriorTherapyData { Agent = "prednisone", Months = 18, Outcome = TherapyOutcome.Ongoing },
            ],
            request.PriorTherapies);
    }

    [Fact]
    public void Crisis_reads_urgency_and_respiratory_status()
    {
        AuthorizationRequest request = Accepted(Example("crisis"));

        Assert.Equal(Urgency.Expedited, request.Urgency);
        Assert.Equal(Indication.Crisis, request.Indication);
        Assert.Equal(MgfaClass.V, request.Diagnosis.MgfaClass);
        Assert.Equal(new RespiratoryData { Intubated = true, NonInvasiveVentilation = false, FvcMlPerKg = 12 }, request.Clinical.Respiratory);
        Assert.Equal(64m, request.Clinical.Egfr);
        Assert.Null(request.Provider);
    }

    [Fact]
    public void Pre_thymectomy_reads_the_planned_surgery_and_partial_scores()
    {
        AuthorizationRequest request = Accepted(Example("pre-thymectomy"));

        Assert.Equal(Indication.PreThymectomy, request.Indication);
        Assert.Equal(new PlannedSurgeryData { Procedure = "thymectomy", Date = new DateOnly(2026, 12, 15) }, request.PlannedSurgery);
        Assert.Equal(7, request.Clinical.MgAdl?.Current);
        Assert.Null(request.Clinical.MgAdl?.Baseline);
        Assert.Equal("Octagam 10%", request.Regimen.Product);
    }

    [Fact]
    public void Bridging_steroids_reads_the_planned_corticosteroid()
    {
        AuthorizationRequest request = Accepted(Example("bridging-steroids"));

        Assert.Equal(Indication.BridgingSteroids, request.Indication);
        Assert.Equal(
            new PlannedCorticosteroidData { StartDate = new DateOnly(2026, 12, 11), PrednisoneMgPerKgPerDay = 1.0m },
            request.PlannedCorticosteroid);
    }

    [Fact]
    public void Refractory_maintenance_reads_cycles_and_four_prior_therapies()
    {
        AuthorizationRequest request = Accepted(Example("refractory-maintenance"));

        Assert.Equal(Indication.RefractoryMaintenance, request.Indication);
        Assert.False(request.Continuation);
        Assert.Equal(6, request.Regimen.Cycles);
        Assert.Equal(28, request.Regimen.IntervalDays);
        Assert.Equal(4, request.PriorTherapies.Count);
        Assert.Equal(new PriorTherapyData { Agent = "tacrolimus", Months = 2, Outcome = TherapyOutcome.Intolerant }, request.PriorTherapies[3]);
    }

    [Fact]
    public void Over_ceiling_reads_the_requested_dose()
    {
        AuthorizationRequest request = Accepted(Example("over-ceiling"));

        Assert.Equal(78m, request.Regimen.GramsPerDay);
        Assert.Equal(4, request.Regimen.InfusionDays);
    }

    [Fact]
    public void Every_contract_field_is_read()
    {
        AuthorizationRequest request = Accepted(Complete);

        Assert.Equal("ivig-mg-restrictive", request.PolicyId);
        Assert.Equal(Urgency.Expedited, request.Urgency);
        Assert.True(request.Continuation);
        Assert.Equal(Sex.Other, request.Member.Sex);
        Assert.Equal(88.5m, request.Member.WeightKg);
        Assert.Equal(MgfaClass.IVb, request.Diagnosis.MgfaClass);
        Assert.Equal(AntibodyResult.Positive, request.Diagnosis.Lrp4Antibody);
        Assert.Equal(
            new ClinicalData
            {
                MgAdl = new ScorePair { Current = 9, Baseline = 6 },
                Qmg = new ScorePair { Current = 14, Baseline = 9 },
                BulbarDysfunction = true,
                Respiratory = new RespiratoryData { Intubated = true, NonInvasiveVentilation = true, FvcMlPerKg = 28.5m },
                Egfr = 72,
                DiabeticNephropathy = true,
                IgaStatus = IgaStatus.DeficientWithAntiIga,
                ThromboembolicHistory = true,
                HeartFailure = true,
                PriorIgAnaphylaxis = true,
                Hyperprolinemia = true,
                HereditaryFructoseIntolerance = true,
                ImmunosuppressantsContraindicated = true,
            },
            request.Clinical);
        Assert.Equal(6, request.Regimen.Cycles);
        Assert.Equal(28, request.Regimen.IntervalDays);
        Assert.Equal(new PriorTherapyData { Agent = "azathioprine", Months = null, Outcome = TherapyOutcome.Intolerant }, request.PriorTherapies[1]);
        Assert.Equal([new PriorIvigCourseData { StartDate = new DateOnly(2026, 8, 1), Indication = Indication.Crisis }], request.PriorIvigCourses);
        Assert.Equal(new PriorIvigResponseData { MgAdlBefore = 10, MgAdlAfter = 6, QmgBefore = 20, QmgAfter = 12 }, request.PriorIvigResponse);
    }

    [Fact]
    public void The_three_entry_points_read_the_same_request()
    {
        string json = Example("refractory-maintenance");
        byte[] utf8WithBom = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(json)];
        using JsonDocument document = JsonDocument.Parse(json);

        AuthorizationRequest fromString = Accepted(json);
        ReadResult fromBytes = RequestReader.Read(utf8WithBom, AsOf);
        ReadResult fromElement = RequestReader.Read(document.RootElement, AsOf);

        Assert.True(fromBytes.IsValid);
        Assert.True(fromElement.IsValid);
        Assert.Equal(fromString.PriorTherapies, fromBytes.Request.PriorTherapies);
        Assert.Equal(fromString.Regimen, fromBytes.Request.Regimen);
        Assert.Equal(fromString.Member, fromElement.Request.Member);
        Assert.Equal(fromString.Clinical, fromElement.Request.Clinical);
    }
}
