using System.Data;
using Dapper;
using MgAuth.Cases.Workflow;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Data;

/// <summary>
/// The case's vocabulary as both providers keep it: each enum by its contract name (as the contract spells it),
/// the text stored before rows were typed, so nothing is migrated. Rows and parameters carry the enums; this is the
/// one place a status, an outcome or an event kind becomes text.
/// </summary>
internal static class StoredNames
{
    /// <summary>
    /// What <c>authorizations.indication</c> (NOT NULL since step 1) holds for a request that leaves the indication out:
    /// no contract name, so never a caller's value; written by <c>COALESCE(@Indication, …)</c>, read back as null by
    /// <c>NULLIF(indication, …)</c>.
    /// </summary>
    public const string UnstatedIndication = "unstated";

    public static void Register()
    {
        // Without it Dapper sends an enum as its number and reads it by its C# name, past any handler.
        SqlMapper.Settings.PreferTypeHandlersForEnums = true;
        Add<CaseStatus>();
        Add<Outcome>();
        Add<Urgency>();
        Add<Indication>();
        Add<DeterminationAction>();
        Add<CaseEventKind>();
    }

    private static void Add<T>() where T : struct, Enum => SqlMapper.AddTypeHandler(typeof(T), new ContractName<T>());

    // A null is sent as text too, as StoredTimes does: PostgreSQL cannot type an untyped null in "@status IS NULL".
    private sealed class ContractName<T> : SqlMapper.ITypeHandler where T : struct, Enum
    {
        public void SetValue(IDbDataParameter parameter, object value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value is T typed ? ContractNames.Of(typed) : DBNull.Value;
        }

        public object Parse(Type destinationType, object value) =>
            ContractNames.TryParse<T>((string)value, out var parsed) ? parsed
                : throw new DataException($"'{value}' is no {typeof(T).Name}");
    }
}
