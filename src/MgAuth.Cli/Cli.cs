namespace MgAuth.Cli;

/// <summary>The <c>mgauth</c> command: dispatches to its subcommands.</summary>
public static class Cli
{
    public const int Ok = 0;
    public const int InternalError = 1;
    public const int Rejected = 2;

    private const string Usage = """
        usage: mgauth <command> [options]

          decide FILE... [--policy ID] [--as-of YYYY-MM-DD] [--explain]   decide requests (- reads stdin)
          fhir bundle FILE... [--as-of YYYY-MM-DD]                          requests as PAS request Bundles (one a line for several)
          fhir order-sign FILE [--as-of YYYY-MM-DD]                         a request as a CRD order-sign (CDS Hooks) request
          bench [--seconds N] [--examples DIR]                             decisions per second and latency
          keys create --org ORG --role ROLE [--name N] [--npi N] [--person ID [--person-issuer URL]] [--db PATH]
                                                                           issue an API key (shown once); --person is
                                                                           required for policy_author and policy_approver:
                                                                           the subject at --person-issuer (default
                                                                           Staff__Authority), one person with that sign-in
          keys revoke KEYID [--db PATH]                                    revoke an API key
          orgs identify ORG [--npi N] [--tin T] [--db PATH]                 record an organization's NPI / TIN (the PAS
                                                                           subscription filter org-identifier= names it)
          orgs show ORG [--db PATH]                                        its recorded identifiers
          clients register --org ORG --name NAME --jwks FILE [--scope "S …"] [--npi N] [--db PATH]
                                                                           register a SMART backend client (public keys
                                                                           only); prints its client id
          clients list [--org ORG] [--db PATH]                             the SMART clients, active and revoked
          clients revoke CLIENTID [--db PATH]                              no more tokens for that client
          replay [--db PATH] [--id ID]                                     re-decide stored requests; report differences
          rules test [PACKDIR] [--policy ID] [--coverage] [--min-coverage N]  run a pack's cases
          rules impact --candidate PACKDIR [--policies DIR] [--db PATH] [--policy ID] [--since DATE] [--per-case]
                                                                           what a candidate would change in stored decisions
                                                                           (counts, under 11 as <11; --per-case: by case id)
          rules publish [PACKDIR] [--policies DIR] [--db PATH] [--note TEXT] [--by NAME]  publish a release (checked in a worker)
          rules activate SHA256 --by NAME [--db PATH] [--note TEXT]        approve a release someone else published
          rules rollback --by NAME [--db PATH]                             back to the release in force before

        common options: --rules DIR (default rules/ivig-mg)  --policies DIR (default policies)
        """;

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await stdout.WriteLineAsync(Usage);
            return args.Length == 0 ? Rejected : Ok;
        }
        try
        {
            var options = Options.Parse(args[1..]);
            return args[0] switch
            {
                "decide" => await DecideCommand.RunAsync(options, stdin, stdout),
                "fhir" => await FhirCommand.RunAsync(options, stdin, stdout),
                "bench" => BenchCommand.Run(options, stdout),
                "keys" => await KeysCommand.RunAsync(options, stdout),
                "clients" => await ClientsCommand.RunAsync(options, stdout),
                "orgs" => await OrgsCommand.RunAsync(options, stdout),
                "replay" => await ReplayCommand.RunAsync(options, stdout, stderr),
                "rules" => await RulesCommand.RunAsync(options, stdout),
                _ => await UsageErrorAsync(stderr, $"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException e)
        {
            return await UsageErrorAsync(stderr, e.Message);
        }
        catch (Exception e)
        {
            await stderr.WriteLineAsync($"mgauth: {e.Message}");
            return InternalError;
        }
    }

    private static async Task<int> UsageErrorAsync(TextWriter stderr, string message)
    {
        await stderr.WriteLineAsync($"mgauth: {message}");
        await stderr.WriteLineAsync(Usage);
        return Rejected;
    }
}

public sealed class UsageException(string message) : Exception(message);
