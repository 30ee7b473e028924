using NRules;
using NRules.Fluent;
using NRules.Fluent.Dsl;
using NRules.RuleModel;

namespace MgAuth.Benchmarks;

/// <summary>Builds synthetic but realistic rule sets of any size from the templates.</summary>
public static class RuleSet
{
    private static readonly string[] Regions = ["north", "south", "east", "west"];
    private static readonly string[] Kinds = ["checking", "savings", "credit"];
    private static readonly string[] Documents = ["passport", "payslip"];

    /// <summary>In every ten rules: 2 single-pattern, 2 two-pattern joins, 1 three-pattern join, 2 Not over derived facts,
    /// 1 Exists + Not, 1 derived-fact chain, 1 Collect + Having over derived facts.</summary>
    public static Rule Template(int k) => (k % 10) switch
    {
        0 or 1 => new AgeBand(Name<AgeBand>(k), Band(k), 18 + Spread(k, 60), 18 + Spread(k, 60) + 6),
        2 or 3 => new BalanceScore(Name<BalanceScore>(k), $"balance{k}", Kinds[Spread(k, 3)], 500m + Spread(k, 40) * 1_000m, 1 + Spread(k, 5)),
        4 => new ForeignTransfer(Name<ForeignTransfer>(k), $"transfer{k}", Regions[Spread(k, 4)], 500m + Spread(k, 20) * 500m),
        5 or 6 => new ClearBand(Name<ClearBand>(k), $"clear{k}", Band(k - 5)),
        7 => new VerifiedIncome(Name<VerifiedIncome>(k), $"income{k}", 30_000m + Spread(k, 100) * 1_000m, Documents[Spread(k, 2)], 3),
        8 => new TagScore(Name<TagScore>(k), $"tag{k}", Band(k - 8), 2),
        _ => new ScoreThreshold(Name<ScoreThreshold>(k), $"threshold{k}", Regions[Spread(k, 4)], 3 + Spread(k, 15)),
    };

    /// <summary>A fixed pseudo-random number in [0, n) for rule k: thresholds vary from rule to rule, the same every run.</summary>
    private static int Spread(int k, int n) => (int)((uint)(k + 1) * 2_654_435_761u >> 8) % n;

    private static string Band(int k) => $"band{k}";

    /// <summary>A unique name: the template's name plus its index.</summary>
    private static string Name<T>(int k) => $"{typeof(T).Name}#{k}";

    /// <summary>The rules loaded as the product loads a pack: a repository over the assembly's rule classes.</summary>
    public static RuleRepository Repository(int count)
    {
        var repository = new RuleRepository(new TemplateActivator(count));
        repository.Load(x => x.From(typeof(RuleSet).Assembly));
        return repository;
    }

    /// <summary>The rule definitions of <paramref name="count"/> templates: every rule's Define() run.</summary>
    public static IRuleDefinition[] Definitions(int count) => Repository(count).GetRules().ToArray();

    /// <summary>Compiled as the product compiles a pack: facts are told apart by identity.</summary>
    public static ISessionFactory Compile(IEnumerable<IRuleDefinition> definitions)
    {
        var compiler = new RuleCompiler();
        compiler.FactIdentityComparerRegistry.DefaultFactIdentityComparer = ReferenceEqualityComparer.Instance;
        return compiler.Compile(definitions);
    }

    /// <summary>Activates each template class as many times as the rule set holds it, each instance with its own parameters.</summary>
    private sealed class TemplateActivator(int count) : IRuleActivator
    {
        private readonly ILookup<Type, Rule> _rules = Enumerable.Range(0, count).Select(Template).ToLookup(r => r.GetType());

        public IEnumerable<Rule> Activate(Type type) => _rules[type];
    }
}
