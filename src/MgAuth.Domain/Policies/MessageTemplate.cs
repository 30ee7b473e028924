using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using MgAuth.Domain.Requests;

namespace MgAuth.Domain.Policies;

/// <summary>A reason sentence with named placeholders, <c>"Requested {requested} g exceeds {ceiling} g"</c>, parsed once at load.</summary>
public sealed class MessageTemplate
{
    private readonly ImmutableArray<(string Text, string? Name)> _parts;

    private MessageTemplate(string text, ImmutableArray<(string, string?)> parts)
    {
        Text = text;
        _parts = parts;
    }

    public string Text { get; }

    public IEnumerable<string> Placeholders => _parts.Where(p => p.Name is not null).Select(p => p.Name!);

    public static MessageTemplate Parse(string text)
    {
        var parts = ImmutableArray.CreateBuilder<(string, string?)>();
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf('{', at);
            if (open < 0) { parts.Add((text[at..], null)); break; }
            var close = text.IndexOf('}', open);
            if (close < 0) throw new FormatException($"unclosed '{{' at position {open}");
            if (open > at) parts.Add((text[at..open], null));
            parts.Add(("", text[(open + 1)..close]));
            at = close + 1;
        }
        return new MessageTemplate(text, parts.ToImmutable());
    }

    public string Render(ReadOnlySpan<(string Name, object? Value)> values)
    {
        var builder = new StringBuilder(Text.Length + 32);
        foreach (var (text, name) in _parts)
        {
            if (name is null) { builder.Append(text); continue; }
            var found = false;
            foreach (var (key, value) in values)
            {
                if (key != name) continue;
                builder.Append(Format(value));
                found = true;
                break;
            }
            if (!found) throw new KeyNotFoundException($"The message \"{Text}\" needs a value for {{{name}}}.");
        }
        return builder.ToString();
    }

    public static string Format(object? value) => value switch
    {
        null => "none",
        bool b => b ? "yes" : "no",
        decimal d => d.ToString("0.##", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Enum e => ContractNames.Of(e),
        Facts.AuthorizationReference reference => reference.Label,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
