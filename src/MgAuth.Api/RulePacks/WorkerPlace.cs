using MgAuth.Api.Infrastructure;
using MgAuth.Api.Security;
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
    /// <summary>
    /// Whose place a call takes: the person by their subject (a key's person id, or the signed-in person's), whichever key
    /// or sign-in they use, else the key that names nobody (a person id has no colon, so the two never collide).
    /// </summary>
    public static string PlaceOf(Caller caller) => caller.NamesPerson ? caller.Person.Subject : $"key:{caller.KeyId}";

    public static async ValueTask<object?> TakeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var worker = http.RequestServices.GetRequiredService<PackWorker>();
        var caller = http.RequestServices.GetRequiredService<Caller>();
        WorkerTicket ticket;
        try
        {
            ticket = worker.Admit(PlaceOf(caller));
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
