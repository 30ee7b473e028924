using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Serialization;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;
using MgAuth.Fhir;

namespace MgAuth.Cli;

/// <summary>
/// <c>mgauth fhir bundle FILE... [--as-of YYYY-MM-DD]</c>: contract requests as the PAS request Bundles the mapping
/// writes (docs/fhir-mapping.md), so a request can be sent to Claim/$submit as well as to /v1/authorizations. One file
/// prints its Bundle; several print one line each (the Bundle, or <c>{"file": …, "problem": …}</c>). A request the
/// contract rejects is an RFC 9457 problem naming every bad field, and exit 2.
/// <c>mgauth fhir order-sign FILE</c>: one request as the CDS Hooks order-sign request of CRD (<see cref="OrderSignWriter"/>).
/// </summary>
public static class FhirCommand
{
    private static readonly FhirJsonSerializer Serializer = new();

    public static async Task<int> RunAsync(Options options, TextReader stdin, TextWriter stdout)
    {
        if (options.Positional is ["order-sign", var one]) return await OrderSignAsync(one, options, stdin, stdout);
        if (options.Positional is ["order-sign", ..]) throw new UsageException("fhir order-sign needs one FILE (or - for stdin)");
        if (options.Positional is not ["bundle", _, ..]) throw new UsageException("fhir bundle needs at least one FILE (or - for stdin)");
        var files = options.Positional[1..];
        var asOf = options.Date("--as-of", DateOnly.FromDateTime(DateTime.UtcNow));
        var single = files.Count == 1;
        var rejected = false;
        foreach (var file in files)
        {
            var read = await RequestFiles.ReadAsync(file, stdin) is { } bytes ? RequestReader.Read(bytes, asOf) : new ReadResult(null, RequestFiles.Unreadable(file));
            rejected |= read.Problem is not null;
            JsonNode output = read.Request is { } request
                ? JsonNode.Parse(Serializer.SerializeToString(PasRequestWriter.Write(request, DateTimeOffset.UtcNow)))!
                : single ? JsonSerializer.SerializeToNode(read.Problem, MgAuthJson.Compact)!
                : new JsonObject { ["file"] = file, ["problem"] = JsonSerializer.SerializeToNode(read.Problem, MgAuthJson.Compact) };
            await stdout.WriteLineAsync(output.ToJsonString(single ? MgAuthJson.Indented : MgAuthJson.Compact));
        }
        return rejected ? Cli.Rejected : Cli.Ok;
    }

    // The request as the CDS Hooks order-sign request an EHR sends MgAuth's CRD service.
    private static async Task<int> OrderSignAsync(string file, Options options, TextReader stdin, TextWriter stdout)
    {
        var asOf = options.Date("--as-of", DateOnly.FromDateTime(DateTime.UtcNow));
        var read = await RequestFiles.ReadAsync(file, stdin) is { } bytes ? RequestReader.Read(bytes, asOf) : new ReadResult(null, RequestFiles.Unreadable(file));
        JsonNode output = read.Request is { } request
            ? OrderSignWriter.Write(request, DateTimeOffset.UtcNow)
            : JsonSerializer.SerializeToNode(read.Problem, MgAuthJson.Compact)!;
        await stdout.WriteLineAsync(output.ToJsonString(MgAuthJson.Indented));
        return read.Problem is null ? Cli.Ok : Cli.Rejected;
    }
}
