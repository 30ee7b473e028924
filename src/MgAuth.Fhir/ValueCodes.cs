using MgAuth.Domain.Requests;

namespace MgAuth.Fhir;

/// <summary>
/// The codes of one contract enum in the MgAuth findings CodeSystem: <c>{prefix}-{contract name}</c> with
/// <c>_</c> written as <c>-</c> (e.g. <c>indication-pre-thymectomy</c>), so values of different enums never collide.
/// </summary>
public sealed class ValueCodes<T>(string prefix, string displayPrefix) where T : struct, Enum
{
    public string Prefix { get; } = prefix;

    public string Code(T value) => Prefix + "-" + ContractNames.Of(value).Replace('_', '-');

    public Hl7.Fhir.Model.Coding Coding(T value) => new(FindingCodes.System, Code(value), Display(value));

    public string Display(T value) => $"{displayPrefix}: {ContractNames.Of(value).Replace('_', ' ')}";

    /// <summary>The contract name of the value a code stands for.</summary>
    public bool TryParse(string? code, out string contractName)
    {
        foreach (var value in Enum.GetValues<T>())
            if (Code(value) == code)
            {
                contractName = ContractNames.Of(value);
                return true;
            }
        contractName = "";
        return false;
    }

    internal IEnumerable<(string Code, string Display)> All() =>
        Enum.GetValues<T>().Select(v => (Code(v), Display(v)));
}
