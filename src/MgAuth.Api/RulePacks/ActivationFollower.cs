using MgAuth.Cases.Releases;

namespace MgAuth.Api.RulePacks;

/// <summary>
/// Polls for activations made outside this process (another replica, the command line) every
/// <c>Rules:FollowMilliseconds</c> (500 by default) — one indexed row a poll — and, in a loop of its own so that a
/// replica compiling a release still counts as alive, reports to the other replicas which release this one serves
/// (<see cref="ReplicaRegistry"/>).
/// </summary>
internal sealed class ActivationFollower(ReleaseService releases, ActiveRules active, ReplicaRegistry replicas, IConfiguration configuration,
    TimeProvider clock, ILogger<ActivationFollower> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(configuration.GetValue("Rules:FollowMilliseconds", 500));
        return Task.WhenAll(
            Every(interval, () =>
            {
                releases.FollowActivations(active);
                return Task.CompletedTask;
            }, "Could not follow rule activations", stoppingToken),
            Every(interval, () => replicas.ReportAsync(active, clock.GetUtcNow(), stoppingToken), "Could not report this replica's release", stoppingToken));
    }

    private async Task Every(TimeSpan interval, Func<Task> work, string failure, CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(interval);
        do
        {
            try { await work(); }
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
        try { await replicas.LeaveAsync(cancellationToken); }
        catch (Exception e) { logger.LogWarning(e, "Could not take this replica off the list"); }
    }
}
