using Microsoft.Extensions.Options;

namespace MgAuth.Api.Security;

/// <summary>
/// The identity provider staff sign in at. By default <c>Staff:Authority</c>; Development without one may register another
/// (an embedded provider) in its place. A null <see cref="Authority"/> turns staff sign-in off: API keys (and system
/// clients) still work.
/// </summary>
public interface IStaffAuthority
{
    /// <summary>The issuer URL; null when staff sign-in is off.</summary>
    string? Authority { get; }

    /// <summary>How its metadata, keys and token endpoint are reached; null for the network (an in-process provider passes its own).</summary>
    HttpMessageHandler? Backchannel { get; }
}

/// <summary>The authority configured in <c>Staff:Authority</c>, reached over the network.</summary>
public sealed class ConfiguredStaffAuthority(IOptions<StaffOptions> options) : IStaffAuthority
{
    public string? Authority { get; } = string.IsNullOrWhiteSpace(options.Value.Authority) ? null : options.Value.Authority.Trim();

    public HttpMessageHandler? Backchannel => null;
}
