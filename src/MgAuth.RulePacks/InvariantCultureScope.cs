using System.Globalization;

namespace MgAuth.RulePacks;

/// <summary>
/// Pack code formats numbers and dates with the current culture (<c>$"{x:N}"</c>, <c>x.ToString()</c>):
/// while it runs, that culture is the invariant one, so a decision reads the same on every host and on replay.
/// </summary>
internal readonly struct InvariantCultureScope : IDisposable
{
    private readonly CultureInfo? _culture;
    private readonly CultureInfo? _uiCulture;

    private InvariantCultureScope(CultureInfo culture, CultureInfo uiCulture) => (_culture, _uiCulture) = (culture, uiCulture);

    public static InvariantCultureScope Enter()
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        // The usual host (InvariantGlobalization) has nothing to change.
        if (ReferenceEquals(culture, CultureInfo.InvariantCulture) && ReferenceEquals(uiCulture, CultureInfo.InvariantCulture)) return default;
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        return new InvariantCultureScope(culture, uiCulture);
    }

    public void Dispose()
    {
        if (_culture is null || _uiCulture is null) return;
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}
