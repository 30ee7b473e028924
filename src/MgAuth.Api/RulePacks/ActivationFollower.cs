using MgAuth.Cases.Releases;

namespace MgAuth.Api.RulePacks;

/// <summary>Polls for activations made outside this process.</summary>
public sealed class ActivationFollower(ReleaseService releases, ActiveRules active, ILogger<ActivationFollower> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { releases.FollowActivations(active); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not follow rule activations");
            }
        }
    }
}
