using System.Buffers;
using System.Text.Json;

namespace MgAuth.Domain.Requests.Validation;

/// <summary>
/// State of one read: the errors found so far, and a pooled buffer where each object's known fields are
/// put by position, so every object is scanned once instead of once per field.
/// </summary>
internal sealed class ReadContext : IDisposable
{
    private JsonElement[] _slots = ArrayPool<JsonElement>.Shared.Rent(64);
    private int _used;

    public ValidationErrors Errors { get; } = new();

    /// <summary>Reserves <paramref name="count"/> empty slots and returns the first one's position.</summary>
    public int Reserve(int count)
    {
        if (_used + count > _slots.Length)
        {
            JsonElement[] larger = ArrayPool<JsonElement>.Shared.Rent(Math.Max(_slots.Length * 2, _used + count));
            _slots.AsSpan(0, _used).CopyTo(larger);
            ArrayPool<JsonElement>.Shared.Return(_slots, clearArray: true);
            _slots = larger;
        }
        int start = _used;
        _slots.AsSpan(start, count).Clear(); // an empty slot (ValueKind Undefined) is an absent field
        _used += count;
        return start;
    }

    public ref JsonElement Slot(int position) => ref _slots[position];

    public void Dispose()
    {
        // Cleared so the pool holds no reference to the parsed document.
        ArrayPool<JsonElement>.Shared.Return(_slots, clearArray: true);
        _slots = [];
    }
}
