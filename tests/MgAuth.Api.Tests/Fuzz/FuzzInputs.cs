using FsCheck;
using FsCheck.Fluent;
using MgAuth.Api.Tests.Support;

namespace MgAuth.Api.Tests.Fuzz;

/// <summary>FsCheck's generator of mutated requests: an example and one to three steps (mostly one); a failure shrinks by dropping steps.</summary>
public static class FuzzInputs
{
    public static Arbitrary<FuzzInput> Arbitrary { get; } = Arb.From(Input(), Shrink);

    /// <summary>Steps alone, for a document other than an example (a supplement).</summary>
    public static Arbitrary<MutationStep[]> Steps { get; } = Arb.From(StepList(), ShrinkSteps);

    private static Gen<FuzzInput> Input() =>
        from example in Gen.Elements(Examples.All.ToArray())
        from steps in StepList()
        select new FuzzInput(example, steps);

    private static Gen<MutationStep[]> StepList() =>
        from count in Gen.Frequency((6, Gen.Constant(1)), (3, Gen.Constant(2)), (1, Gen.Constant(3)))
        from steps in Gen.ArrayOf(Step(), count)
        select steps;

    // Steps that keep the document whole are the common case, so most inputs reach validation field by field.
    private static Gen<MutationStep> Step() =>
        from kind in Gen.Frequency(
            Weighted(3, MutationKind.WrongType), Weighted(2, MutationKind.Null), Weighted(2, MutationKind.HugeNumber),
            Weighted(2, MutationKind.NegativeNumber), Weighted(6, MutationKind.EdgeValue), Weighted(1, MutationKind.DeepNesting),
            Weighted(2, MutationKind.LongString), Weighted(4, MutationKind.Unicode), Weighted(2, MutationKind.DuplicateKey),
            Weighted(3, MutationKind.RemoveField), Weighted(2, MutationKind.ExtraField), Weighted(1, MutationKind.Truncate),
            Weighted(1, MutationKind.ReplaceBody))
        from target in Gen.Choose(0, 9_999)
        from variant in Gen.Choose(0, 99_999)
        select new MutationStep(kind, target, variant);

    private static (int, Gen<MutationKind>) Weighted(int weight, MutationKind kind) => (weight, Gen.Constant(kind));

    private static IEnumerable<FuzzInput> Shrink(FuzzInput input) =>
        ShrinkSteps([.. input.Steps]).Select(steps => input with { Steps = steps });

    private static IEnumerable<MutationStep[]> ShrinkSteps(MutationStep[] steps) =>
        steps.Length <= 1 ? [] : steps.Select((_, i) => steps.Where((_, j) => j != i).ToArray());
}
