using MgAuth.RulePacks;

namespace MgAuth.RulePacks.Tests;

/// <summary>
/// Rule packs are untrusted code: a rule that reaches files, the network, processes, reflection,
/// threads, the environment or the clock is refused at load, and the problem names the file, the
/// line and what was refused, however the name is spelled.
/// </summary>
public class SandboxTests
{
    private const string ProbeFile = "SandboxProbe.cs";
    private const int StatementLine = 9;
    private const int MemberLine = 13;

    /// <summary>A rule file whose <c>Define</c> runs <paramref name="statement"/> on line 9; the rule declares <paramref name="member"/> on line 13.</summary>
    private static string ProbeRule(string statement, string firstLine = "// probe", string member = "// no member") => $$"""
        {{firstLine}}
        namespace MgAuth.Rules.IvigMg;

        public sealed class SandboxProbe : Rule
        {
            public override void Define()
            {
                Policy p = null!;
                {{statement}}
                When().Match(() => p);
                Then().Do(ctx => ctx.AddReason(p, ReasonCodes.DiagnosisCovered, new { icd10 = "G70.00" }));
            }
            {{member}}
        }
        """;

    private static RulePackException LoadRefused(string ruleText)
    {
        using var pack = new TempPack();
        pack.Write(ProbeFile, ruleText);
        return Assert.Throws<RulePackException>(() => RulePackCompiler.Load(pack.Folder));
    }

    private static RulePack LoadsWithProbe(string ruleText)
    {
        using var pack = new TempPack();
        pack.Write(ProbeFile, ruleText);
        var loaded = RulePackCompiler.Load(pack.Folder);
        Assert.Equal(Repository.Pack.Rules.Count + 1, loaded.Rules.Count);
        return loaded;
    }

    private static string Where(int line) => $"ivig-mg/{ProbeFile}({line},";

    private static void AssertRefusedAt(RulePackException ex, int line, string what) =>
        Assert.Contains(ex.Problems, p => p.StartsWith(Where(line), StringComparison.Ordinal) && p.Contains(what, StringComparison.Ordinal));

    [Fact]
    public void A_harmless_probe_rule_loads_so_the_refusals_below_are_about_their_one_statement()
    {
        using var pack = new TempPack();
        pack.Write(ProbeFile, ProbeRule("Member m = null!; When().Match(() => m, m => Math.Max(m.Age, 1) + \"x\".Length + Math.Round(m.WeightKg, 1) > 0m);"));

        var loaded = RulePackCompiler.Load(pack.Folder);

        Assert.Contains(loaded.Rules, d => d.Name == "SandboxProbe");
        Assert.Equal(Repository.Pack.Rules.Count + 1, loaded.Rules.Count);
    }

    [Theory]
    [InlineData("var text = System.IO.File.ReadAllText(\"x\");", "System.IO.File.ReadAllText")]
    [InlineData("var home = System.Environment.GetEnvironmentVariable(\"HOME\");", "System.Environment.GetEnvironmentVariable")]
    [InlineData("var now = DateTime.Now;", "System.DateTime.Now")]
    [InlineData("var today = DateOnly.FromDateTime(DateTime.UtcNow);", "System.DateTime.UtcNow")]
    [InlineData("var client = new System.Net.Http.HttpClient();", "System.Net.Http.HttpClient")]
    [InlineData("System.Diagnostics.Process.Start(\"sh\");", "System.Diagnostics.Process.Start")]
    [InlineData("var assembly = typeof(string).Assembly;", "System.Type")]
    [InlineData("var type = p.GetType();", "GetType()")]
    [InlineData("var name = this.GetType().Name;", "GetType()")]
    [InlineData("System.Threading.Thread.Sleep(1);", "System.Threading.Thread.Sleep")]
    [InlineData("var text = global::System.IO.File.ReadAllText(\"x\");", "System.IO.File.ReadAllText")]
    [InlineData("var random = new Random().Next();", "System.Random")]
    [InlineData("var loaded = MgAuth.Domain.Policies.PolicyLoader.LoadFile(\"/etc/passwd\");", "PolicyLoader")]
    [InlineData("var copy = MemberwiseClone();", "MemberwiseClone()")]
    [InlineData("var hash = \"x\".GetHashCode();", "GetHashCode()")]
    [InlineData("lock (p) { }", "a lock statement")]
    public void Code_that_reaches_outside_the_rules_world_is_refused_with_file_line_and_symbol(string statement, string symbol)
    {
        var ex = LoadRefused(ProbeRule(statement));

        Assert.Contains(ex.Problems, p => p.StartsWith(Where(StatementLine), StringComparison.Ordinal)
            && p.Contains(symbol, StringComparison.Ordinal)
            && p.Contains("is not allowed in a rule pack", StringComparison.Ordinal));
        Assert.All(ex.Problems, p => Assert.StartsWith($"ivig-mg/{ProbeFile}(", p));
    }

    [Fact]
    public void A_using_alias_does_not_hide_the_type_it_names()
    {
        var ex = LoadRefused(ProbeRule("var text = F.ReadAllText(\"x\");", "using F = System.IO.File;"));

        Assert.Contains(ex.Problems, p => p.StartsWith(Where(StatementLine), StringComparison.Ordinal)
            && p.Contains("System.IO.File.ReadAllText", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith(Where(1), StringComparison.Ordinal) && p.Contains("System.IO.File", StringComparison.Ordinal));
    }

    [Fact]
    public void A_using_static_does_not_hide_the_type_it_imports()
    {
        var ex = LoadRefused(ProbeRule("var text = ReadAllText(\"x\");", "using static System.IO.File;"));

        Assert.Contains(ex.Problems, p => p.StartsWith(Where(StatementLine), StringComparison.Ordinal)
            && p.Contains("System.IO.File.ReadAllText", StringComparison.Ordinal));
    }

    [Fact]
    public void Refused_code_inside_a_condition_lambda_is_found_too()
    {
        var rule = $$"""
            namespace MgAuth.Rules.IvigMg;

            public sealed class SandboxProbe : Rule
            {
                public override void Define()
                {
                    Policy p = null!;
                    When().Match(() => p, p => System.IO.File.Exists("/tmp/approve-everything"));
                    Then().Do(ctx => ctx.AddReason(p, ReasonCodes.DiagnosisCovered, new { icd10 = "G70.00" }));
                }
            }
            """;

        var ex = LoadRefused(rule);

        Assert.Contains(ex.Problems, p => p.StartsWith(Where(8), StringComparison.Ordinal) && p.Contains("System.IO.File.Exists", StringComparison.Ordinal));
    }

    [Fact]
    public void Refused_code_in_a_helper_outside_define_is_found_too()
    {
        var rule = $$"""
            namespace MgAuth.Rules.IvigMg;

            public static class Helpers
            {
                public static readonly string Secret = System.Environment.GetEnvironmentVariable("API_KEY") ?? "";
            }
            """;

        var ex = LoadRefused(rule);

        Assert.Contains(ex.Problems, p => p.StartsWith(Where(5), StringComparison.Ordinal)
            && p.Contains("System.Environment.GetEnvironmentVariable", StringComparison.Ordinal));
    }

    [Fact]
    public void State_kept_between_decisions_is_refused()
    {
        var rule = $$"""
            namespace MgAuth.Rules.IvigMg;

            public static class Counter
            {
                public static int Calls;
            }
            """;

        var ex = LoadRefused(rule);

        Assert.Contains(ex.Problems, p => p.StartsWith(Where(3), StringComparison.Ordinal)
            && p.Contains("a static class ('Counter')", StringComparison.Ordinal));
    }

    // A pack's own AddReason would silently stand in for the policy's (a denial dropped unseen).
    [Theory]
    [InlineData("private void AddReason(IContext context, Policy policy, string code, object values) { }", "a method ('AddReason')")]
    [InlineData("private static void AddMissingDocumentation(IContext context) { }", "a static method ('AddMissingDocumentation')")]
    [InlineData("protected new IRightHandSideExpression Then() => base.Then();", "a method ('Then')")]
    [InlineData("protected IRightHandSideExpression Then(int unused = 0) => base.Then();", "a method ('Then')")]
    [InlineData("~SandboxProbe() { }", "a destructor")]
    [InlineData("static SandboxProbe() { }", "a static constructor")]
    public void A_rule_member_that_could_stand_in_for_the_policys_reason_actions_is_refused(string member, string what)
    {
        var ex = LoadRefused(ProbeRule("// nothing", member: member));

        AssertRefusedAt(ex, MemberLine, what);
    }

    [Theory]
    [InlineData("public static void AddReason(this IContext context, Policy policy, string code, object values) { }", "an extension method")]
    [InlineData("public static void AddReason(this IContext context, Policy policy, string code, object values) { }", "a member named 'AddReason' like a reason action")]
    [InlineData("public static bool Quiet(this Reason reason) => true;", "an extension method")]
    [InlineData("extension(IContext context) { public void Quiet() { } }", "an extension block")]
    public void A_pack_extension_is_refused(string member, string what)
    {
        _ = what; // each was refused as itself under the deny-list; the helper class is refused whole now
        var helpers = $$"""
            namespace MgAuth.Rules.IvigMg;

            public static class QuietReasons
            {
                {{member}}
            }
            """;

        var ex = LoadRefused(helpers);

        AssertRefusedAt(ex, 3, "a static class ('QuietReasons')");
    }

    [Fact]
    public void A_reason_action_called_on_a_pack_method_is_refused_at_the_call()
    {
        var ex = LoadRefused(ProbeRule("Then().Do(ctx => AddReason(ctx, p, ReasonCodes.DiagnosisCovered, new { }));",
            member: "private static void AddReason(IContext context, Policy policy, string code, object values) { }"));

        AssertRefusedAt(ex, StatementLine, "'MgAuth.Rules.IvigMg.SandboxProbe.AddReason(");
        AssertRefusedAt(ex, MemberLine, "a static method ('AddReason')");
    }

    [Fact]
    public void A_pack_type_named_like_a_domain_type_is_refused()
    {
        var helpers = """
            namespace MgAuth.Rules.IvigMg;

            public static class ReasonActions
            {
                public static void Add(IContext context, Policy policy, string code, object values) { }
            }
            """;

        var ex = LoadRefused(helpers);

        AssertRefusedAt(ex, 3, "a type named like 'MgAuth.Domain.Decisions.ReasonActions'");
    }

    [Fact]
    public void A_global_using_alias_is_refused()
    {
        var ex = LoadRefused(ProbeRule("// nothing", firstLine: "global using Probe = MgAuth.Rules.IvigMg.SandboxProbe;"));

        AssertRefusedAt(ex, 1, "a using alias ('Probe = MgAuth.Rules.IvigMg.SandboxProbe')");
    }

    // Once accepted; a rule is named and ordered by its attributes now, and a Define() holds declarations and chains only.
    [Fact]
    public void Rule_name_priority_calls_helpers_and_overrides_are_refused()
    {
        var ex = LoadRefused(ProbeRule("Name(\"Probe named\"); Priority(5); var grams = Doses.Half(2m);",
            member: "public override string ToString() => \"probe\"; private static class Doses { public static decimal Half(decimal g) => g / 2; }"));

        AssertRefusedAt(ex, StatementLine, "a statement that is not a When() or Then() chain");
        AssertRefusedAt(ex, StatementLine, "a local that is not a fact declaration");
        AssertRefusedAt(ex, MemberLine, "a method ('ToString')");
        AssertRefusedAt(ex, MemberLine, "a static class ('Doses')");
    }

    // A static field lives as long as the process: one organization's member would reach another's decision.
    [Theory]
    [InlineData("public static readonly List<string> Seen = new();", "a static field ('Seen')")]
    [InlineData("private static readonly string[] Codes = [\"A\"];", "a static field ('Codes')")]
    [InlineData("private static readonly IReadOnlyList<string> Codes = new List<string>();", "a static field ('Codes')")]
    [InlineData("private static readonly Dictionary<string, int> Counts = new();", "a static field ('Counts')")]
    [InlineData("private static readonly System.Collections.Immutable.ImmutableArray<List<string>> Nested = [];", "a static field ('Nested')")]
    [InlineData("private static int calls;", "a static field ('calls')")]
    [InlineData("public static List<string> Seen { get; } = new();", "a static property ('Seen')")]
    [InlineData("public static int Calls { get; set; }", "a static property ('Calls')")]
    [InlineData("public static string Last { get; private set; } = \"\";", "a static property ('Last')")]
    [InlineData("public static event Action<string>? Seen;", "a static event field ('Seen')")]
    [InlineData("private readonly List<string> _seen = new();", "a field ('_seen')")]
    [InlineData("private int _fired;", "a field ('_fired')")]
    [InlineData("public List<string> Seen { get; } = new();", "a property ('Seen')")]
    public void State_that_outlives_a_decision_is_refused(string member, string what)
    {
        var ex = LoadRefused(ProbeRule("// nothing", member: member));

        AssertRefusedAt(ex, MemberLine, what);
    }

    // Even immutable statics and constants: a rule reads its numbers from the policy, and a pack has no fields at all.
    [Theory]
    [InlineData("const int Limit = 3;", "a field ('Limit')")]
    [InlineData("static readonly System.Collections.Immutable.ImmutableArray<string> Codes = System.Collections.Immutable.ImmutableArray.Create(\"A\");", "a static field ('Codes')")]
    [InlineData("static readonly decimal Half = 0.5m;", "a static field ('Half')")]
    [InlineData("static string Code => \"C\";", "a static property ('Code')")]
    [InlineData("static DateOnly Start { get; } = new(2026, 1, 1);", "a static property ('Start')")]
    [InlineData("private readonly int _unusedLimit = 2;", "a field ('_unusedLimit')")]
    public void Constants_and_readonly_statics_are_refused_too(string member, string what)
    {
        var ex = LoadRefused(ProbeRule("// nothing", member: member));

        AssertRefusedAt(ex, MemberLine, what);
    }

    // A rule that casts the policy's collections to a mutable type could rewrite the policy for every later request. The
    // policy's own types (ImmutableArray, FrozenDictionary) cannot be cast so; the read-only interfaces they are seen through can.
    [Theory]
    [InlineData("var texts = (Dictionary<string, ReasonText>)texts0;")]
    [InlineData("var texts = texts0 as IDictionary<string, ReasonText>;")]
    [InlineData("var mutable = texts0 is Dictionary<string, ReasonText>;")]
    [InlineData("if (texts0 is Dictionary<string, ReasonText> texts) texts.Clear();")]
    [InlineData("var n = texts0 switch { IDictionary<string, ReasonText> d => d.Count, _ => 0 };")]
    [InlineData("var n = names0 is List<string> { Count: > 0 } list ? list.Count : 0;")]
    [InlineData("var n = names0 is ICollection<string> and { Count: > 0 } ? 1 : 0;")]
    [InlineData("switch (names0) { case List<string>: break; }")]
    [InlineData("var list = new object[] { names0 }.OfType<IList<string>>().First();")]
    [InlineData("var list = new[] { names0 }.Cast<List<string>>().First();")]
    [InlineData("foreach (List<string> list in new object[] { names0 }) list.Clear();")]
    [InlineData("var lists = from List<string> l in new object[] { names0 } select l;")]
    [InlineData("var array = (string[])names0;")]
    [InlineData("var set = (ISet<string>)(object)names0;")]
    [InlineData("var texts = (System.Collections.IDictionary)texts0;")]
    public void A_cast_to_a_mutable_collection_is_refused(string statement)
    {
        var ex = LoadRefused(ProbeRule(
            "IReadOnlyDictionary<string, ReasonText> texts0 = p.Reasons; IReadOnlyList<string> names0 = p.Formulary; " + statement));

        // No local but a fact, no statement but a chain, and the policy's reason texts are not for rules to read at all.
        AssertRefusedAt(ex, StatementLine, "a local that is not a fact declaration");
        AssertRefusedAt(ex, StatementLine, "'MgAuth.Domain.Policies.Policy.Reasons'");
    }

    [Theory]
    [InlineData("(object)p.Formulary is List<string>", "an is")]
    [InlineData("p.Formulary as object != null", "an as")]
    [InlineData("((IReadOnlyList<string>)p.Formulary).Count > 0", "a cast")]
    [InlineData("p.Formulary is [_, ..]", "an is pattern")]
    [InlineData("p switch { _ => true }", "a switch")]
    public void A_cast_or_type_test_in_a_condition_is_refused(string condition, string what)
    {
        var ex = LoadRefused(ProbeRule($"When().Match(() => p, p => {condition});"));

        AssertRefusedAt(ex, StatementLine, what);
    }

    [Fact]
    public void A_cast_to_a_type_parameter_is_refused()
    {
        var ex = LoadRefused(ProbeRule("As<List<string>>(p.Formulary).Clear();", member: "private static T As<T>(object o) => (T)o;"));

        AssertRefusedAt(ex, MemberLine, "a static method ('As')");
        AssertRefusedAt(ex, StatementLine, "SandboxProbe.As<");
    }

    [Fact]
    public void Casts_and_type_tests_between_values_and_facts_are_refused_too()
    {
        var ex = LoadRefused(ProbeRule("object o = \"x\"; object[] words = new string[] { \"a\" }; var n = (int)2.5m + (decimal)3 + (o is Member ? 1 : 0) + (o as string)!.Length "
            + "+ ((string[])words).Length + new object[] { 1 }.OfType<int>().Sum() + (o is IReadOnlyList<char> ? 1 : 0);"));

        AssertRefusedAt(ex, StatementLine, "a local that is not a fact declaration");
        AssertRefusedAt(ex, StatementLine, "OfType");
    }

    // Arrays are allocations a rule does not need: refused, in a local or in a condition.
    [Fact]
    public void Arrays_are_refused()
    {
        var ex = LoadRefused(ProbeRule("var xs = new[] { 1, 2 }; var n = xs.Length + xs[0]; string[] names = [\"a\"]; var first = names[^1] + new string[] { \"b\" }[0] + names[..1].Length; var ys = new int[2]; ys[0] = n;"));

        AssertRefusedAt(ex, StatementLine, "a local that is not a fact declaration");
        var inCondition = LoadRefused(ProbeRule("When().Match(() => p, p => new[] { 1, 2 }.Length + new int[3].Length > 0 && p.Formulary[0] == \"x\");"));
        AssertRefusedAt(inCondition, StatementLine, "an implicit array creation");
        AssertRefusedAt(inCondition, StatementLine, "an array creation");
        AssertRefusedAt(inCondition, StatementLine, "an element access");
    }

    [Fact]
    public void A_reason_cannot_be_constructed_in_a_pack()
    {
        var ex = LoadRefused(ProbeRule("Then().Do(ctx => ctx.Insert(new Reason(\"PHI|1\", ReasonEffect.Met, null, \"\", \"\", \"\", \"\")));"));

        AssertRefusedAt(ex, StatementLine, "CS1729 'Reason' does not contain a constructor");
    }

    [Fact]
    public void A_reason_cannot_be_copied_with_changes_in_a_pack()
    {
        var ex = LoadRefused(ProbeRule("Reason r = null!; When().Match(() => r); Then().Do(ctx => ctx.Insert(r with { Message = \"PHI\", MissingDocumentation = [] }));"));

        Assert.Equal(2, ex.Problems.Count(p => p.StartsWith(Where(StatementLine), StringComparison.Ordinal) && p.Contains("CS0200", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("Reason r = null!; When().Match(() => r); Then().Do(ctx => ctx.Insert(r));")]
    [InlineData("Reason r = null!; When().Match(() => r); Then().Do(ctx => ctx.Insert((object)r));")]
    [InlineData("Reason r = null!; When().Match(() => r); Then().Do(ctx => ctx.Insert(Copy(r)));")]
    public void Inserting_a_reason_other_than_by_a_reason_action_is_refused(string statement)
    {
        var ex = LoadRefused(ProbeRule(statement, member: "private static Reason Copy(Reason r) => r with { };"));

        AssertRefusedAt(ex, StatementLine, "inserting anything but a newly created derived fact");
        AssertRefusedAt(ex, MemberLine, "a static method ('Copy')");
    }

    [Fact]
    public void A_compile_error_names_the_file_and_line()
    {
        var ex = LoadRefused(ProbeRule("var x = 1"));

        // The compiler's error, and the language's word on the statement (a local that is not a fact).
        Assert.All(ex.Problems, p => Assert.StartsWith(Where(StatementLine), p));
        Assert.Contains(ex.Problems, p => p.Contains("CS1002", StringComparison.Ordinal));
    }

    [Fact]
    public void A_condition_that_uses_an_alias_matched_later_is_refused_naming_the_rule()
    {
        var rule = """
            namespace MgAuth.Rules.IvigMg;

            public sealed class ForwardAliasProbe : Rule
            {
                public override void Define()
                {
                    Member m = null!;
                    Policy p = null!;
                    When()
                        .Match(() => m, x => x.Age < p.PediatricAgeBelow)
                        .Match(() => p);
                    Then().Do(ctx => ctx.AddReason(p, ReasonCodes.PediatricRequest, new { age = m.Age, adultAge = p.PediatricAgeBelow }));
                }
            }
            """;
        using var pack = new TempPack();
        pack.Write("ForwardAliasProbe.cs", rule);

        var ex = Assert.Throws<RulePackException>(() => RulePackCompiler.Load(pack.Folder));

        var problem = Assert.Single(ex.Problems);
        Assert.Contains("ForwardAliasProbe", problem);
        Assert.Contains("refers to 'p' before it is matched", problem);
    }

    // Fails today: RulePackCompiler.Compile turns only RuleCompilationException and
    // RuleDefinitionException into a RulePackException; an exception thrown by a rule's own
    // Define() (here a NullReferenceException) escapes raw, naming neither the rule nor the file.
    [Fact]
    public void A_rule_whose_define_throws_is_refused_naming_the_rule()
    {
        var rule = """
            namespace MgAuth.Rules.IvigMg;

            public sealed class ThrowingDefineProbe : Rule
            {
                public override void Define()
                {
                    Policy p = null!;
                    var adultAge = p.PediatricAgeBelow;
                    When().Match(() => p);
                    Then().Do(ctx => ctx.AddReason(p, ReasonCodes.DiagnosisCovered, new { icd10 = "G70.00" }));
                }
            }
            """;
        using var pack = new TempPack();
        pack.Write("ThrowingDefineProbe.cs", rule);

        var ex = Record.Exception(() => RulePackCompiler.Load(pack.Folder));

        var refused = Assert.IsType<RulePackException>(ex);
        Assert.Contains(refused.Problems, p => p.Contains("ThrowingDefineProbe", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pack_without_a_manifest_is_refused()
    {
        using var pack = new TempPack();
        File.Delete(pack.PathOf("pack.yaml"));

        var ex = Assert.Throws<RulePackException>(() => RulePackCompiler.Load(pack.Folder));

        Assert.Contains(ex.Problems, p => p.Contains("pack.yaml", StringComparison.Ordinal));
    }
}
