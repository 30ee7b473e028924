using MgAuth.Domain.Decisions;

namespace MgAuth.Domain.Tests;

/// <summary>
/// One person or two: the comparison four eyes and appeal independence rest on. A false "same" only refuses; a false
/// "different" lets one person pass for two, so every doubt falls on "same".
/// </summary>
public class PersonTests
{
    private const string Idp = "https://login.plan.example/realms/staff";

    [Fact]
    public void The_same_subject_at_the_same_issuer_is_one_person_whatever_the_name()
    {
        Assert.True(new Person(Idp, "u-1", "Dana Reyes").IsSamePersonAs(new Person(Idp, "u-1", "D. Reyes")));
        Assert.False(new Person(Idp, "u-1", "Dana Reyes").IsSamePersonAs(new Person(Idp, "u-2", "Dana Reyes")));
    }

    [Fact]
    public void The_same_subject_at_two_identity_providers_is_two_people()
    {
        Assert.False(new Person(Idp, "u-1", "Dana").IsSamePersonAs(new Person("https://other.example", "u-1", "Dana")));
    }

    [Fact]
    public void A_keys_person_id_is_that_subject_at_any_issuer_so_a_key_and_a_sign_in_cannot_be_two_people()
    {
        var key = new Person(Person.KeysIssuer, "U-1 ", "Dana's key");
        Assert.True(key.IsSamePersonAs(new Person(Idp, "u-1", "Dana Reyes")));
        Assert.True(new Person(Idp, "u-1", "Dana Reyes").IsSamePersonAs(key));
    }

    [Fact]
    public void Nobody_is_the_same_person_as_no_one()
    {
        Assert.False(new Person(Idp, "u-1", "Dana").IsSamePersonAs(null));
    }

    [Fact]
    public void A_row_written_before_persons_reads_as_its_key_by_the_keys_name()
    {
        Assert.Equal(new Person(Person.KeysIssuer, "key_0123456789ab", "Reviewer"), Person.Stored(null, null, null, "key_0123456789ab", "Reviewer"));
        Assert.Equal(new Person(Person.KeysIssuer, "engine", "engine"), Person.Stored(null, null, null, "engine"));
        Assert.Equal(new Person(Idp, "u-1", "Dana"), Person.Stored(Idp, "u-1", "Dana", "u-1", null));
    }
}
