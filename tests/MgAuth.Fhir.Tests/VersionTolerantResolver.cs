using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;

namespace MgAuth.Fhir.Tests;

/// <summary>
/// Resolves a canonical that names a version (<c>…/us-core-patient|6.1.0</c>, <c>…|2.2.1</c>) to that version when a
/// package here has it, else to the canonical without its version: the guides name versions of their dependencies
/// that are not copied here (US Core 6.1.0, CRD 2.2.1), and Firely 3.6 would otherwise leave them unresolved.
/// </summary>
internal sealed class VersionTolerantResolver(IAsyncResourceResolver inner) : IAsyncResourceResolver
{
    public Task<ResolverResult> TryResolveByUriAsync(string uri) => inner.TryResolveByUriAsync(uri);

    public async Task<ResolverResult> TryResolveByCanonicalUriAsync(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var exact = await inner.TryResolveByCanonicalUriAsync(uri).ConfigureAwait(false);
        var bar = uri.IndexOf('|', StringComparison.Ordinal);
        return exact.Success || bar < 0 ? exact : await inner.TryResolveByCanonicalUriAsync(uri[..bar]).ConfigureAwait(false);
    }

    [Obsolete("Use TryResolveByUriAsync.")]
    public async Task<Resource?> ResolveByUriAsync(string uri) => (await TryResolveByUriAsync(uri).ConfigureAwait(false)).Value;

    [Obsolete("Use TryResolveByCanonicalUriAsync.")]
    public async Task<Resource?> ResolveByCanonicalUriAsync(string uri) => (await TryResolveByCanonicalUriAsync(uri).ConfigureAwait(false)).Value;
}
