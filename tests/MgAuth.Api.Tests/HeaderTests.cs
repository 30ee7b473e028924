using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>Outside Development the API's map is not served unless turned on; no response is ever content-sniffed.</summary>
public sealed class HeaderTests
{
    private sealed class WithoutSwagger : MgAuthFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Overrides => [new("Api:Swagger", "false")];
    }

    [Theory]
    [InlineData("/swagger/index.html")]
    [InlineData("/swagger/v1/swagger.json")]
    public async Task Swagger_is_not_served_outside_development_unless_turned_on(string path)
    {
        await using var factory = new WithoutSwagger();

        using var response = await factory.Anonymous().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Every_response_says_nosniff_answers_problems_and_the_console_alike()
    {
        await using var factory = new MgAuthFactory();
        using var decided = await factory.ProviderA.SubmitAsync(Examples.ForNewMember(Examples.Exacerbation));
        using var unauthenticated = await factory.Anonymous().GetAsync("/v1/authorizations");
        using var missing = await factory.ProviderA.GetAsync("/v1/nothing-here");
        using var invalid = await factory.ProviderA.SubmitAsync(new JsonObject { ["member"] = 1 });
        using var console = await factory.Anonymous().GetAsync("/");

        foreach (var response in new[] { decided, unauthenticated, missing, invalid, console })
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("default-src 'self'", string.Join(";", console.Headers.GetValues("Content-Security-Policy")));
    }
}
