using MgAuth.Cases.Data;

namespace MgAuth.Cli;

/// <summary>
/// <c>mgauth orgs identify ORG [--npi N] [--tin T] [--db PATH]</c>: records an organization's NPI and/or TIN (how an EHR names
/// it, e.g. in the PAS subscription filter <c>org-identifier=</c>); <c>mgauth orgs show ORG [--db PATH]</c> lists them.
/// </summary>
public static class OrgsCommand
{
    public static async Task<int> RunAsync(Options options, TextWriter stdout)
    {
        var organization = options.Positional.ElementAtOrDefault(1);
        switch (options.Positional.FirstOrDefault())
        {
            case "identify":
                if (string.IsNullOrWhiteSpace(organization)) throw new UsageException("orgs identify needs an ORG");
                var given = new[] { (OrganizationIdentifiers.NpiSystem, options.Value("--npi")), (OrganizationIdentifiers.TinSystem, options.Value("--tin")) }
                    .Where(g => g.Item2 is not null).Select(g => (System: g.Item1, Value: g.Item2!.Trim())).ToArray();
                if (given.Length == 0) throw new UsageException("orgs identify needs --npi N or --tin T");
                foreach (var (system, value) in given)
                    if (OrganizationIdentifiers.Problem(system, value) is { } problem) throw new UsageException($"'{value}': {problem}");
                var identifiers = new OrganizationIdentifiers(KeysCommand.OpenDatabase(options), TimeProvider.System);
                foreach (var (system, value) in given)
                {
                    if (!await identifiers.AddAsync(KeysCommand.Operator, organization, system, value))
                        throw new UsageException($"{value} is recorded for another organization");
                    stdout.WriteLine($"{organization}: {system}|{value}");
                }
                return Cli.Ok;
            case "show":
                if (string.IsNullOrWhiteSpace(organization)) throw new UsageException("orgs show needs an ORG");
                foreach (var identifier in await new OrganizationIdentifiers(KeysCommand.OpenDatabase(options), TimeProvider.System).OfAsync(organization))
                    stdout.WriteLine($"{identifier.System}|{identifier.Value}");
                return Cli.Ok;
            default:
                throw new UsageException("orgs takes identify or show");
        }
    }
}
