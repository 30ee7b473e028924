namespace MgAuth.Domain.Requests.Validation;

/// <summary>Every error found in one request, keyed by field path in the order they were found.</summary>
internal sealed class ValidationErrors
{
    private Dictionary<string, string[]>? _byPath; // created on the first error: valid requests allocate nothing

    public int Count => _byPath?.Count ?? 0;

    public void Add(string path, string message)
    {
        _byPath ??= new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!_byPath.TryGetValue(path, out string[]? messages))
        {
            _byPath[path] = [message];
        }
        else if (Array.IndexOf(messages, message) < 0)
        {
            _byPath[path] = [.. messages, message];
        }
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _byPath ?? (IReadOnlyDictionary<string, string[]>)new Dictionary<string, string[]>();
}
