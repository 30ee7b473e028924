namespace MgAuth.Cli.Tests;

/// <summary>
/// <c>mgauth orgs identify / show</c>: the operator's way to record an organization's NPI and TIN (the PAS subscription
/// filter names an organization by them); a wrong number or another organization's is refused with exit 2.
/// </summary>
public sealed class OrgsCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mgauth-orgs-").FullName;

    private string Db => Path.Combine(_folder, "mgauth.db");

    [Fact]
    public async Task Identify_records_the_NPI_and_TIN_and_show_lists_them()
    {
        var identify = await Mgauth.RunAsync("orgs", "identify", "org-a", "--npi", "1234567893", "--tin", "123456789", "--db", Db);
        Assert.Equal(0, identify.ExitCode);

        var show = await Mgauth.RunAsync("orgs", "show", "org-a", "--db", Db);

        Assert.Equal(0, show.ExitCode);
        Assert.Contains("http://hl7.org/fhir/sid/us-npi|1234567893", show.Stdout);
        Assert.Contains("urn:oid:2.16.840.1.113883.4.4|123456789", show.Stdout);
        // Each identifier recorded is audited once (recording it again changes nothing and audits nothing).
        Assert.Equal(0, (await Mgauth.RunAsync("orgs", "identify", "org-a", "--npi", "1234567893", "--db", Db)).ExitCode);
        Assert.Equal(["org-a http://hl7.org/fhir/sid/us-npi|1234567893 operator", "org-a urn:oid:2.16.840.1.113883.4.4|123456789 operator"],
            Audited("organization.identified"));
    }

    private List<string> Audited(string action)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Db}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT subject, detail, actor_role FROM audit_log WHERE action = $action ORDER BY detail";
        command.Parameters.AddWithValue("$action", action);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add($"{reader.GetString(0)} {reader.GetString(1)} {reader.GetString(2)}");
        return rows;
    }

    [Theory]
    [InlineData("--npi", "1234567890", "check digit")]
    [InlineData("--npi", "12345", "10 digits")]
    [InlineData("--tin", "12-3456789", "9 digits")]
    public async Task A_number_that_is_not_an_NPI_or_TIN_is_refused(string option, string value, string why)
    {
        var run = await Mgauth.RunAsync("orgs", "identify", "org-a", option, value, "--db", Db);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(why, run.Stderr);
    }

    [Fact]
    public async Task Another_organizations_NPI_cannot_be_taken()
    {
        Assert.Equal(0, (await Mgauth.RunAsync("orgs", "identify", "org-a", "--npi", "1234567893", "--db", Db)).ExitCode);

        var taken = await Mgauth.RunAsync("orgs", "identify", "org-b", "--npi", "1234567893", "--db", Db);

        Assert.Equal(2, taken.ExitCode);
        Assert.Contains("another organization", taken.Stderr);
        Assert.DoesNotContain("1234567893", (await Mgauth.RunAsync("orgs", "show", "org-b", "--db", Db)).Stdout);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
