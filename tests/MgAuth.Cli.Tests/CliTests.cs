namespace MgAuth.Cli.Tests;

/// <summary>The <c>mgauth</c> command line itself: commands, usage and exit codes.</summary>
public class CliTests
{
    [Fact]
    public async Task An_unknown_command_exits_2_and_shows_usage()
    {
        var run = await Mgauth.RunAsync("frobnicate");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown command 'frobnicate'", run.Stderr);
        Assert.Contains("usage: mgauth", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task No_arguments_exits_2_with_usage()
    {
        var stdout = new StringWriter();
        var exit = await Cli.RunAsync([], new StringReader(""), stdout, new StringWriter());

        Assert.Equal(2, exit);
        Assert.Contains("usage: mgauth", stdout.ToString());
    }

    [Fact]
    public async Task Help_exits_0_and_describes_decide()
    {
        var stdout = new StringWriter();
        var exit = await Cli.RunAsync(["--help"], new StringReader(""), stdout, new StringWriter());

        Assert.Equal(0, exit);
        Assert.Contains("decide FILE...", stdout.ToString());
    }

    [Fact]
    public async Task An_option_without_its_value_exits_2()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Cli.RunAsync(["decide", Mgauth.Example("exacerbation.json"), "--policy"], new StringReader(""), stdout, stderr);

        Assert.Equal(2, exit);
        Assert.Contains("--policy needs a value", stderr.ToString());
    }

    [Fact]
    public async Task A_rules_folder_that_does_not_exist_is_an_internal_error_exit_1()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Cli.RunAsync(
            ["decide", Mgauth.Example("exacerbation.json"), "--as-of", Mgauth.AsOf,
             "--rules", Path.Combine(Path.GetTempPath(), "no-such-pack-" + Guid.NewGuid().ToString("N")), "--policies", Mgauth.PoliciesFolder],
            new StringReader(""), stdout, stderr);

        Assert.Equal(1, exit);
        Assert.StartsWith("mgauth: ", stderr.ToString());
    }

    [Fact]
    public void The_examples_used_here_are_the_ones_shipped_at_the_repository_root()
    {
        foreach (var name in Mgauth.ExampleNames)
        {
            var shipped = Path.Combine(Mgauth.Root, "examples", name);
            Assert.True(File.Exists(shipped), $"examples/{name} is missing");
            Assert.Equal(File.ReadAllText(shipped), File.ReadAllText(Mgauth.Example(name)));
        }
    }
}
