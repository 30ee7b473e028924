using MgAuth.Api.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace MgAuth.Api.Tests;

/// <summary>
/// An attacker's body: a Content-Length at the limit and a few bytes sent. The service must not set aside the declared
/// size before it arrives (thousands of such connections would hold the limit each), only what was sent.
/// </summary>
public sealed class BodyAllocationTests
{
    [Fact]
    public async Task A_large_declared_length_with_little_sent_allocates_what_arrives_not_what_was_declared()
    {
        const int declared = 4 * 1024 * 1024;
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = declared;
        context.Request.Body = new MemoryStream("{\"a\":1}"u8.ToArray());
        await RequestBody.JsonAsync(context.Request, declared); // warm: JIT and the pool's first chunk

        context.Request.Body = new MemoryStream("{\"a\":1}"u8.ToArray());
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = await RequestBody.JsonAsync(context.Request, declared);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(read.IsRefused(out _));
        Assert.Equal("{\"a\":1}"u8.ToArray(), read.Value);
        Assert.True(allocated < 256 * 1024, $"{allocated} bytes allocated for a 7-byte body declared as {declared}");
    }
}
