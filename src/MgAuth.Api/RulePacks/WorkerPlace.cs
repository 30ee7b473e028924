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
    /// Whose place (and daily impact runs) a call counts against: the person by their subject, whichever key or sign-in they
    /// use, else the key that names nobody.
    /// </summary>
    public static string PersonOf(Caller caller) => caller.NamesPerson ? $"person:{caller.Person.Subject.Trim().ToLowerInvariant()}" : $"key:{caller.KeyId}";

    public static async ValueTask<object?> TakeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var worker = http.RequestServices.GetRequiredService<PackWorker>();
        var caller = http.RequestServices.GetRequiredService<Caller>();
        WorkerTicket ticket;
        try
        {
            ticket = worker.Admit(PersonOf(caller));
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
