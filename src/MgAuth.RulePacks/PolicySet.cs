using MgAuth.Domain.Policies;

namespace MgAuth.RulePacks;

/// <summary>The policies a pack runs under, by id, with the default for requests that name none.</summary>
public sealed class PolicySet(IReadOnlyDictionary<string, Policy> policies, string defaultId)
{
    public const string StandardId = "ivig-mg-standard";

    public IReadOnlyDictionary<string, Policy> All { get; } = policies;
    public string DefaultId { get; } = policies.ContainsKey(defaultId)
        ? defaultId
        : throw new ArgumentException($"The default policy {defaultId} is not among {string.Join(", ", policies.Keys)}.");

    public Policy? Find(string? id) => All.TryGetValue(id ?? DefaultId, out var policy) ? policy : null;

    public static PolicySet FromFolder(string folder, string defaultId = StandardId) =>
        new(PolicyLoader.LoadFolder(folder), defaultId);
}
