using MgAuth.Api.Infrastructure;
using MgAuth.Api.Security;
using MgAuth.Cases.Data;
using MgAuth.Cases.Releases;
using MgAuth.RulePacks.Isolation;

namespace MgAuth.Api.RulePacks;

/// <summary>
/// Publishing and impact analysis run in the rule-pack worker: before the upload is read, the caller takes a place in
/// its bounded queue, one per person (the key's person id, else the key). No place: 503 (the queue is full) or 429 (this
/// person already has a job in), each with Retry-After, and the body is never read.
/// </summary>
internal static class WorkerPlace
{
    public static async ValueTask<object?> TakeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var worker = http.RequestServices.GetRequiredService<PackWorker>();
        var caller = http.RequestServices.GetRequiredService<Caller>();
        var key = await http.RequestServices.GetRequiredService<ApiKeyStore>().FindByIdAsync(caller.KeyId);
        // A person id has no colon, so a key standing in for its unnamed person never collides with one.
        var person = key?.PersonId ?? $"key:{caller.KeyId}";
        WorkerTicket ticket;
        try
        {
            ticket = worker.Admit(person);
        }
        catch (WorkerBusyException busy)
        {
            return Problems.For(WorkerRefusals.Of(busy), http.Response);
        }
        using (ticket)
        using (ticket.Carry())
            return await next(context);
    }
}
