using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests;

/// <summary>The reviewer console (wwwroot/app.js) lays out what the service answers and works out none of it itself.</summary>
public sealed class ConsoleDerivesNothingTests
{
    private static readonly string Script = File.ReadAllText(Path.Combine(Repository.Root, "src", "MgAuth.Api", "wwwroot", "app.js"));

    [Theory]
    [InlineData("Date.now", "the browser's clock: the clock comes with the case")]
    [InlineData("new Date()", "the browser's clock: the clock comes with the case")]
    [InlineData("1e-9", "a floating-point fudge: the dosing working comes with the case")]
    [InlineData("Math.ceil", "vial rounding: the dosing working comes with the case")]
    [InlineData("devineMaleBaseKg", "the Devine formula: the dosing working comes with the case")]
    [InlineData("v.role ===", "the role rules: what the viewer may do comes with the case")]
    [InlineData("'clinician'", "the role rules: what the viewer may do comes with the case")]
    [InlineData("'pre_thymectomy'", "an enum's values: the queue answers its filters' values")]
    [InlineData("'expedited'", "an enum's values: the queue answers its filters' values")]
    [InlineData("['deny', 'review']", "an enum's values: the queue answers its filters' values")]
    public void The_console_does_not_derive(string code, string why) =>
        Assert.False(Script.Contains(code, StringComparison.Ordinal), $"app.js contains {code}: {why}");
}
