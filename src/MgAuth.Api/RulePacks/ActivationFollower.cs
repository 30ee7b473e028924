using MgAuth.Cases.Releases;

namespace MgAuth.Api.RulePacks;

/// <summary>
/// Polls for activations made outside this process (another replica, the command line) every
/// <c>Rules:FollowMilliseconds</c> (500 by default) — one indexed row a poll — and, in a loop of its own so that a
/// replica compiling a release still counts as alive, reports to the other replicas which release this one serves
/// (<see cref="ReplicaRegistry"/>).
/// </summary>
public sealed class ActivationFollower(ReleaseService releases, ActiveRules active, ReplicaRegistry replicas, IConfiguration configuration,
    ILogger<ActivationFollower> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(configuration.GetValue("Rules:FollowMilliseconds", 500));
        return Task.WhenAll(
            Every(interval, () => releases.FollowActivations(active), "Could not follow rule activations", stoppingToken),
            Every(interval, () => replicas.Report(active), "Could not report this replica's release", stoppingToken));
    }

    private async Task Every(TimeSpan interval, Action work, string failure, CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(interval);
        do
        {
            try { work(); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "{Failure}", failure);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try { replicas.Leave(); }
        catch (Exception e) { logger.LogWarning(e, "Could not take this replica off the list"); }
    }
}
