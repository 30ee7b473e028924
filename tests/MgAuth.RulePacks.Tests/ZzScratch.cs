using MgAuth.RulePacks;
namespace MgAuth.RulePacks.Tests;
public class ZzScratch
{
    private static string Probe(string member, string statement, string action = "ctx.AddReason(p, ReasonCodes.DiagnosisCovered, new { icd10 = \"G70.00\" })", string top = "") => $$"""
        {{top}}
        namespace MgAuth.Rules.IvigMg;
        public sealed class SandboxProbe : Rule
        {
            {{member}}
            protected override void Define()
            {
                Policy p = null!;
                {{statement}}
                When().Match(() => p);
                Then().Do(ctx => {{action}});
            }
        }
        """;

    [Theory]
    [InlineData("hash", "", "var h = \"abc\".GetHashCode();", null, "")]
    [InlineData("objhash", "", "var h = new object().GetHashCode();", null, "")]
    [InlineData("static", "static int n;", "", "ctx.AddReason(p, ReasonCodes.DiagnosisCovered, new { icd10 = (n++).ToString() })", "")]
    [InlineData("lock", "", "lock (new object()) { }", null, "")]
    [InlineData("forge", "", "", "ctx.Insert(new Reason(\"MADE_UP\", ReasonEffect.Deny, null, \"x\", \"§0\", \"none\", \"r\"))", "")]
    [InlineData("exprcompile", "", "System.Linq.Expressions.Expression<Func<int>> e = () => 1; var f = e.Compile(); var v = f();", null, "")]
    [InlineData("modinit", "[System.Runtime.CompilerServices.ModuleInitializer] internal static void Init() { }", "", null, "")]
    [InlineData("asmattr", "", "", null, "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"x\")]")]
    [InlineData("facttype", "", "", "ctx.Insert(ctx.Rule.LeftHandSide[0].FactType.Name)", "")]
    [InlineData("query", "", "var q = from x in new[] { 1, 2 } where x > 1 select x * 2;", null, "")]
    [InlineData("asyncvoid", "", "async void Later() { } Later();", null, "")]
    [InlineData("finalizer", "~SandboxProbe() { }", "", null, "")]
    [InlineData("actions", "", "", "ctx.Insert(ctx.Rule.RightHandSide.Count)", "")]
    [InlineData("policysource", "", "", "ctx.Insert(p.Source)", "")]
    [InlineData("dynamicinvoke", "", "Func<int> f = () => 1; var o = f.DynamicInvoke();", null, "")]
    [InlineData("method", "", "Func<int> f = () => 1; var o = f.Method;", null, "")]
    [InlineData("tostr", "", "var s = ((object)1).ToString();", null, "")]
    [InlineData("enum", "", "var names = Enum.GetNames<ReasonEffect>();", null, "")]
    [InlineData("stringcreate", "", "var s = string.Create(null, $\"{1}\");", null, "")]
    [InlineData("throw", "", "", "throw new PolicyLoadException(\"f\", [\"x\"])", "")]
    public void Try(string name, string member, string statement, string? action, string top)
    {
        using var pack = new TempPack();
        pack.Write("SandboxProbe.cs", action is null ? Probe(member, statement, top: top) : Probe(member, statement, action, top));
        string result;
        try { RulePackCompiler.Load(pack.Folder); result = "LOADED"; }
        catch (RulePackException e) { result = "REFUSED " + string.Join(" | ", e.Problems); }
        catch (Exception e) { result = "OTHER " + e.GetType().Name + " " + e.Message; }
        File.AppendAllText("/tmp/scratch-sandbox.txt", $"{name}: {result}\n");
    }
}
