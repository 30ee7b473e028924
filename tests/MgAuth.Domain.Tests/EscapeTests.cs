using MgAuth.Domain.Requests;
using static MgAuth.Domain.Tests.TestRequests;

namespace MgAuth.Domain.Tests;

/// <summary>Escaped text: half a surrogate pair on its own is valid JSON but not Unicode, and is refused by path (found by the front-door fuzzer).</summary>
public class EscapeTests
{
    private const string NotText = "is not Unicode text: an escaped surrogate (\\ud800 to \\udfff) must be one half of a pair";

    [Theory]
    [InlineData(@"\ud800")]
    [InlineData(@"\udc00")]
    [InlineData(@"a\ud800b")]
    [InlineData(@"\udbff\udbff")]
    [InlineData(@"\uD800\u0041")]
    [InlineData(@"\udc00\ud800")]
    [InlineData(@"M-1\ud83d")]
    public void A_string_with_a_lone_escaped_surrogate_is_rejected_at_its_path(string escaped)
    {
        Assert.Equal(NotText, SingleError(Minimal.Replace("\"M-1\"", $"\"{escaped}\""), "member.id"));
        Assert.Equal(NotText, SingleError(Complete.Replace("\"prednisone\"", $"\"{escaped}\""), "priorTherapies[0].agent"));
    }

    [Fact]
    public void A_property_name_with_a_lone_escaped_surrogate_is_rejected_at_its_object()
    {
        Assert.Equal("has a property name that " + NotText, SingleError(Minimal.Replace("\"icd10\"", @"""\udbff\udbff"""), "diagnosis"));
        Assert.Equal("has a property name that " + NotText, SingleError(Minimal.Replace("\"indication\"", @"""\ud800"""), ProblemDocument.RootPath));
    }

    [Theory]
    [InlineData(@"\ud83d\ude00", "😀")]
    [InlineData(@"M-\u0031", "M-1")]
    [InlineData(@"\\ud800", @"\ud800")]
    [InlineData(@"\u00e9\\\ud83d\ude00", @"é\😀")]
    public void Escaped_pairs_and_characters_are_read(string escaped, string read)
    {
        Assert.Equal(read, Accepted(Minimal.Replace("\"M-1\"", $"\"{escaped}\"")).Member.Id);
    }
}
