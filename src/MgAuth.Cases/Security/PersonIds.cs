using System.Text.RegularExpressions;

namespace MgAuth.Cases.Security;

/// <summary>
/// The person behind a key: an id the plan's identity provider gives (an employee number, a subject id). Four eyes on
/// the rules in force compare these and nothing else, so a key's name or NPI cannot make one person look like two.
/// </summary>
public static partial class PersonIds
{
    /// <summary>
    /// Roles whose keys must name their person: every one of the plan's staff (a history row, a determination, a notice
    /// and a release name the person who acted, never a key). A provider's key is its portal, a system.
    /// </summary>
    public static bool Required(string role) => role != Roles.Provider;

    /// <summary>Letters, digits and <c>. _ @ | + -</c>, 1 to 128 long, starting with a letter or digit (no spaces, no colon).</summary>
    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id);

    /// <summary>One person: compared without regard to case, since identity providers differ on it and a false "same" only refuses.</summary>
    public static bool Same(string? a, string? b) =>
        a is not null && b is not null && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._@|+\-]{0,127}$")]
    private static partial Regex Shape();
}
