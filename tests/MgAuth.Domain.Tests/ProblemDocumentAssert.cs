using MgAuth.Domain.Requests;

namespace MgAuth.Domain.Tests;

internal static class ProblemDocumentAssert
{
    /// <summary>The problem's error keys are exactly <paramref name="paths"/>, in any order.</summary>
    public static void Keys(ProblemDocument problem, params string[] paths)
    {
        Assert.Equal(paths.Order(StringComparer.Ordinal), problem.Errors.Keys.Order(StringComparer.Ordinal));
    }
}
