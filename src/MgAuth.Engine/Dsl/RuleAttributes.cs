namespace MgAuth.Engine.Dsl;

[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class NameAttribute(string value) : Attribute
{
    public string Value { get; } = value;
}

[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class DescriptionAttribute(string value) : Attribute
{
    public string Value { get; } = value;
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class TagAttribute(string value) : Attribute
{
    public string Value { get; } = value;
}

/// <summary>Higher priority fires first; equal priorities fire in the order their activations arose.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class PriorityAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}

/// <summary>Free metadata on a rule. Derive from it to give a domain its own vocabulary.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public class MetadataAttribute : Attribute
{
    public MetadataAttribute(string key, string value) => Entries = [new(key, value)];

    protected MetadataAttribute(params KeyValuePair<string, string>[] entries) => Entries = entries;

    public IReadOnlyList<KeyValuePair<string, string>> Entries { get; }
}
