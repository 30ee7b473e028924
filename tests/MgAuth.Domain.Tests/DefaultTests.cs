using MgAuth.Domain.Requests;
using static MgAuth.Domain.Tests.TestRequests;

namespace MgAuth.Domain.Tests;

public class DefaultTests
{
    [Fact]
    public void Absent_optional_fields_take_the_contract_defaults()
    {
        AuthorizationRequest request = Accepted(Minimal);

        Assert.Null(request.PolicyId);
        Assert.Equal(Urgency.Standard, request.Urgency);
        Assert.False(request.Continuation);
        Assert.Null(request.Provider);
        Assert.Equal(AntibodyResult.Unknown, request.Diagnosis.AchrAntibody);
        Assert.Equal(AntibodyResult.Unknown, request.Diagnosis.MuskAntibody);
        Assert.Equal(AntibodyResult.Unknown, request.Diagnosis.Lrp4Antibody);
        Assert.Equal(Electrodiagnostics.NotDone, request.Diagnosis.Electrodiagnostics);
        Assert.Equal(new ClinicalData(), request.Clinical);
        Assert.Equal(IgaStatus.Unknown, request.Clinical.IgaStatus);
        Assert.False(request.Clinical.BulbarDysfunction);
        Assert.False(request.Clinical.HeartFailure);
        Assert.Null(request.Regimen.Product);
        Assert.Equal(1, request.Regimen.Cycles);
        Assert.Null(request.Regimen.IntervalDays);
        Assert.Null(request.PlannedSurgery);
        Assert.Null(request.PlannedCorticosteroid);
        Assert.Empty(request.PriorTherapies);
        Assert.Empty(request.PriorIvigCourses);
        Assert.Null(request.PriorIvigResponse);
    }

    [Theory]
    [InlineData("policyId")]
    [InlineData("urgency")]
    [InlineData("continuation")]
    [InlineData("provider")]
    [InlineData("provider.npi")]
    [InlineData("diagnosis.achrAntibody")]
    [InlineData("diagnosis.electrodiagnostics")]
    [InlineData("clinical")]
    [InlineData("clinical.mgAdl.baseline")]
    [InlineData("clinical.respiratory")]
    [InlineData("clinical.egfr")]
    [InlineData("clinical.igaStatus")]
    [InlineData("clinical.heartFailure")]
    [InlineData("regimen.product")]
    [InlineData("regimen.cycles")]
    [InlineData("plannedSurgery")]
    [InlineData("plannedSurgery.date")]
    [InlineData("priorTherapies")]
    [InlineData("priorTherapies[0].months")]
    [InlineData("priorIvigCourses")]
    [InlineData("priorIvigResponse.qmgBefore")]
    public void Explicit_null_for_an_optional_field_is_the_same_as_absent(string path)
    {
        string withNull = With(Complete, path, "null");
        string without = Without(Complete, path);

        Assert.Equal(Accepted(without), Accepted(withNull), new RequestComparer());
    }

    [Fact]
    public void Null_cycles_is_one_so_no_interval_is_needed()
    {
        string json = With(With(Minimal, "regimen.cycles", "null"), "regimen.intervalDays", "null");

        Assert.Equal(1, Accepted(json).Regimen.Cycles);
    }

    // Records compare lists by reference; compare them by content here.
    private sealed class RequestComparer : IEqualityComparer<AuthorizationRequest>
    {
        private static readonly PriorTherapyData[] NoTherapies = [];
        private static readonly PriorIvigCourseData[] NoCourses = [];

        public bool Equals(AuthorizationRequest? x, AuthorizationRequest? y) =>
            x is not null && y is not null
            && x with { PriorTherapies = NoTherapies, PriorIvigCourses = NoCourses }
                == y with { PriorTherapies = NoTherapies, PriorIvigCourses = NoCourses }
            && x.PriorTherapies.SequenceEqual(y.PriorTherapies)
            && x.PriorIvigCourses.SequenceEqual(y.PriorIvigCourses);

        public int GetHashCode(AuthorizationRequest obj) => 0;
    }
}
