using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MgAuth.Crash;

/// <summary>A decision the service acknowledged (201): its id and the SHA-256 of the decision bytes it answered with.</summary>
public sealed record Acknowledgement(string AuthorizationId, string DecisionSha256)
{
    public override string ToString() => $"{AuthorizationId} {DecisionSha256}";

    public static Acknowledgement Parse(string line) => line.Split(' ') is [var id, var sha] ? new(id, sha) : throw new FormatException(line);
}

/// <summary>What the load saw: acknowledgements, refusals, and what the kill cut off.</summary>
public sealed record LoadReport(
    int Sent, IReadOnlyList<Acknowledgement> Acknowledged, IReadOnlyDictionary<int, int> Refused,
    int InFlightAtKill, int LostInFlight, int NotSent, bool Killed)
{
    public override string ToString() =>
        $"sent {Sent}, acknowledged {Acknowledged.Count}, refused {Refused.Values.Sum()}"
        + (Refused.Count > 0 ? $" ({string.Join(", ", Refused.Select(r => $"{r.Value}×{r.Key}"))})" : "")
        + (Killed ? $", in flight at kill {InFlightAtKill}, lost in flight {LostInFlight}, not sent after kill {NotSent}" : ", not killed");
}

/// <summary>
/// POSTs the example requests in turn, <c>concurrency</c> at a time, each for a member of its own, and records every
/// 201. With <c>killAfter</c> it calls <c>kill</c> (a SIGKILL of the service) once that many are acknowledged, noting
/// how many requests were then in flight; requests that fail after that are counted, not retried, and the load stops.
/// </summary>
public sealed class LoadClient(Uri baseUrl, string key, IReadOnlyList<string> examples, string memberPrefix)
{
    private readonly Lock _gate = new();
    private readonly List<Acknowledgement> _acknowledged = [];
    private readonly Dictionary<int, int> _refused = [];
    private int _next = -1;
    private int _inFlight;
    private int _inFlightAtKill;
    private int _lostInFlight;
    private int _notSent;
    private bool _killed;

    public static IReadOnlyList<string> LoadExamples(string folder) =>
        [.. Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText)];

    public async Task<LoadReport> RunAsync(int requests, int concurrency, int? killAfter = null, Action? kill = null)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency })
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WorkAsync(http, requests, killAfter, kill))));
        lock (_gate)
            return new LoadReport(Math.Min(_next + 1, requests) - _notSent, [.. _acknowledged], new Dictionary<int, int>(_refused),
                _inFlightAtKill, _lostInFlight, _notSent, _killed);
    }

    private async Task WorkAsync(HttpClient http, int requests, int? killAfter, Action? kill)
    {
        int i;
        while ((i = Interlocked.Increment(ref _next)) < requests)
        {
            // After the kill nothing new is sent (a pooled connection would fail it as if it had been in flight).
            if (Volatile.Read(ref _killed))
            {
                lock (_gate) _notSent++;
                return;
            }
            var body = Body(i);
            Interlocked.Increment(ref _inFlight);
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("/v1/authorizations", content);
                var answer = await response.Content.ReadAsByteArrayAsync();
                Interlocked.Decrement(ref _inFlight);
                Record((int)response.StatusCode, answer, killAfter, kill);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                Interlocked.Decrement(ref _inFlight);
                lock (_gate)
                {
                    if (!_killed) throw;
                    // Refused at connect: never reached the service. Anything else was sent and cut off by the kill.
                    if (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused }) _notSent++;
                    else _lostInFlight++;
                }
                return;
            }
        }
    }

    private void Record(int status, byte[] answer, int? killAfter, Action? kill)
    {
        lock (_gate)
        {
            if (status != 201)
            {
                _refused[status] = _refused.GetValueOrDefault(status) + 1;
                return;
            }
            var id = (string?)JsonNode.Parse(answer)?["authorizationId"] ?? throw new InvalidDataException("a 201 without an authorizationId");
            _acknowledged.Add(new Acknowledgement(id, Convert.ToHexStringLower(SHA256.HashData(answer))));
            if (_killed || killAfter is not { } after || _acknowledged.Count < after) return;
            Volatile.Write(ref _killed, true);
            _inFlightAtKill = Volatile.Read(ref _inFlight);
            kill?.Invoke();
        }
    }

    private byte[] Body(int i)
    {
        var request = JsonNode.Parse(examples[i % examples.Count])!;
        request["member"]!["id"] = $"{memberPrefix}-{i}";
        return Encoding.UTF8.GetBytes(request.ToJsonString());
    }
}
