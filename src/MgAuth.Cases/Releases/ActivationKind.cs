using System.Data;
using Dapper;

namespace MgAuth.Cases.Releases;

/// <summary>How a release came to be in force.</summary>
public enum ActivationKind
{
    /// <summary>The repository's release, new at a start.</summary>
    Startup,

    /// <summary>Approved and activated by a person other than its publisher.</summary>
    Activate,

    /// <summary>Back to the release in force before the current one.</summary>
    Rollback,
}

/// <summary>The one mapping between <see cref="ActivationKind"/> and the text stored (and answered) for it.</summary>
public static class ActivationKinds
{
    private static readonly Dictionary<ActivationKind, string> Texts = new()
    {
        [ActivationKind.Startup] = "startup",
        [ActivationKind.Activate] = "activate",
        [ActivationKind.Rollback] = "rollback",
    };

    private static readonly Dictionary<string, ActivationKind> Kinds = Texts.ToDictionary(k => k.Value, k => k.Key, StringComparer.Ordinal);

    public static string Text(this ActivationKind kind) => Texts[kind];

    public static ActivationKind Parse(string text) =>
        Kinds.TryGetValue(text, out var kind) ? kind : throw new DataException($"'{text}' is not an activation kind");

    /// <summary>Makes Dapper store and read the kind as its text (what the database held before the kind was typed).</summary>
    internal static void Register() => SqlMapper.AddTypeHandler(new Handler());

    private sealed class Handler : SqlMapper.TypeHandler<ActivationKind>
    {
        public override void SetValue(IDbDataParameter parameter, ActivationKind value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.Text();
        }

        public override ActivationKind Parse(object value) => ActivationKinds.Parse((string)value);
    }
}
