using System.Text;
using MgAuth.RulePacks;

namespace MgAuth.RulePacks.Tests;

/// <summary>A pack.yaml that does not read is a refusal naming the file, never another exception (once a 500 at publish, and explain failing).</summary>
public sealed class PackManifestTests
{
    private static PackSource Pack(string manifest) => new("probe", [new PackFile("pack.yaml", Encoding.UTF8.GetBytes(manifest))]);

    [Theory]
    [InlineData("id: [ivig-mg\nsupersedes: {\n")]   // YamlDotNet throws InvalidOperationException on this one
    [InlineData("id: a\nid: b\n")]
    [InlineData("&a x: *b\n")]
    [InlineData("- a\n- b\n")]
    [InlineData("id: x\nversion: 1\ndescription: d\nsupersedes: abc\n")]
    public void A_malformed_pack_yaml_is_a_rule_pack_exception_naming_the_file(string manifest)
    {
        var refused = Assert.Throws<RulePackException>(() => PackManifest.Parse(Pack(manifest)));
        Assert.Contains(refused.Problems, p => p.StartsWith("probe/pack.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void A_well_formed_pack_yaml_reads()
    {
        var sha = new string('a', 64);
        var manifest = PackManifest.Parse(Pack($"id: x\nversion: 1.0.0\ndescription: d\nsupersedes:\n  - {sha}\n"));
        Assert.Equal(("x", "1.0.0"), (manifest.Id, manifest.Version));
        Assert.Equal([sha], manifest.Supersedes);
    }
}
