using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MgAuth.Api.Tests.Support;

/// <summary>
/// An EHR's rest-hook endpoint on loopback (a real Kestrel server, so the service's notifications travel real HTTP):
/// records every POST it receives, and answers 503 to the first <see cref="FailFirst"/> of them.
/// </summary>
public sealed class NotificationReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private int _failures;

    public sealed record Received(string Body, string? ContentType, IReadOnlyDictionary<string, string> Headers, int AnsweredWith);

    private NotificationReceiver(WebApplication app) => _app = app;

    /// <summary>How many POSTs to answer 503 before answering 200.</summary>
    public int FailFirst { get; set; }

    public string Url { get; private set; } = "";

    public static async Task<NotificationReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new NotificationReceiver(app);
        app.MapPost("/notifications", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var status = Interlocked.Increment(ref receiver._failures) <= receiver.FailFirst ? 503 : 200;
            receiver._received.Writer.TryWrite(new Received(body, request.ContentType,
                request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/notifications";
        return receiver;
    }

    /// <summary>The next POST received, waiting up to <paramref name="seconds"/>.</summary>
    public async Task<Received> NextAsync(int seconds = 30)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            return await _received.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no notification within {seconds} s");
        }
    }

    /// <summary>Whatever arrives within <paramref name="seconds"/> (none expected).</summary>
    public async Task<Received?> NothingWithinAsync(double seconds)
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        return _received.Reader.TryRead(out var received) ? received : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
