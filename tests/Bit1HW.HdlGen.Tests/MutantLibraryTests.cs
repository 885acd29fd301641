using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Mutation;

namespace Bit1HW.HdlGen.Tests;

public class MutantLibraryTests
{
    private static readonly string[] Shared =
    [
        "acc-add-to-sub", "pe-out-zero-extended", "acc-narrower-1", "acc-narrower-5", "acc-reset-1",
        "tree-add-to-sub", "tree-operand-zero-extended", "term-register-narrower-1", "last-lane-stuck-at-0",
        "pe-extra-output-register", "term-register-bypassed",
        "wp-increment-to-decrement", "repeat-count-plus-1", "repeat-count-minus-1", "wp-reset-1", "wp-carry-lost", "ap-carry-lost", "pc-carry-lost",
    ];

    private static readonly string[] TernaryOnly =
    [
        "acc-carry-in-dropped", "weight-plus-minus-swapped", "weight-code-10-as-minus-one", "weight-code-10-as-plus-one",
        "negation-at-activation-width", "tree-carry-in-dropped",
    ];

    [Fact]
    public void An_odd_lane_ternary_design_has_every_mutant_of_the_library()
    {
        var ids = MutantLibrary.For(Configs.Small(3, rows: 1, actBits: 4)).Select(m => m.Id).ToList();
        Assert.Equal(Shared.Concat(TernaryOnly).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void A_mac_design_has_no_weight_code_or_correction_mutants()
    {
        var ids = MutantLibrary.For(Configs.Small(5, pe: PeKind.Mac)).Select(m => m.Id).ToList();
        Assert.Equal(Shared.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Mutants_without_a_site_are_left_out()
    {
        // One lane: no adder tree. maxK < lanes: the accumulator is narrower than the PE output, so
        // the PE output is sliced, not sign-extended.
        var one = MutantLibrary.For(Configs.Small(1, rows: 1)).Select(m => m.Id).ToList();
        Assert.DoesNotContain("tree-add-to-sub", one);
        Assert.DoesNotContain("tree-carry-in-dropped", one);
        Assert.Contains("term-register-bypassed", one);
        var narrow = MutantLibrary.For(Configs.Small(16) with { MaxK = 8 }).Select(m => m.Id).ToList();
        Assert.DoesNotContain("pe-out-zero-extended", narrow);
    }

    [Fact]
    public void Each_mutant_changes_its_own_module_and_no_other_file()
    {
        var cfg = Configs.Small(3, rows: 2, actBits: 4);
        var real = RtlGenerator.Generate(cfg).ToDictionary(f => f.RelativePath, f => f.Text);
        foreach (Mutant m in MutantLibrary.For(cfg))
        {
            var changed = RtlGenerator.GenerateMutant(cfg, m).Where(f => real[f.RelativePath] != f.Text).Select(f => f.RelativePath).ToList();
            Assert.Equal([m.ModuleName + ".v"], changed);
        }
    }

    [Fact]
    public void Mutated_modules_show_the_planted_bug_in_the_verilog()
    {
        var cfg = Configs.Small(3, rows: 1, actBits: 4);  // AccBits 10, WeightAddrBits 4
        Assert.Equal(10, cfg.AccBits);
        Assert.Contains("reg signed [8:0] acc_0;", Module(cfg, "acc-narrower-1", "array"));
        Assert.Contains("reg signed [4:0] acc_0;", Module(cfg, "acc-narrower-5", "array"));
        Assert.Contains("acc_0 <= 10'sd1;", Module(cfg, "acc-reset-1", "array"));
        string pe = Module(cfg, "negation-at-activation-width", "pe");
        Assert.Contains("assign neg_act_0 = -act_0;", pe);
        Assert.Contains("assign corr_0 = 1'd0;", pe);
        string ctrl = Module(cfg, "wp-carry-lost", "ctrl");
        Assert.Contains("assign wp_b2_0_plus_1 = wp_b2_0 + 3'd1;", ctrl);
        Assert.DoesNotContain("wp + 4'd1", ctrl);
    }

    [Fact]
    public void Normal_generation_is_untouched_by_the_library()
    {
        var cfg = Configs.Small(7, rows: 3);
        string before = string.Join("\n", RtlGenerator.Generate(cfg).Select(f => f.Text));
        foreach (Mutant m in MutantLibrary.For(cfg)) RtlGenerator.GenerateMutant(cfg, m);
        Assert.Equal(before, string.Join("\n", RtlGenerator.Generate(cfg).Select(f => f.Text)));
    }

    [ToolFact("verilator")]
    public void Every_mutant_of_a_ternary_and_a_mac_design_passes_verilator_lint()
    {
        foreach (HardwareConfig cfg in new[] { Configs.Small(3, rows: 2, actBits: 4, pipeEvery: 1), Configs.Small(5, pe: PeKind.Mac) })
            foreach (Mutant m in MutantLibrary.For(cfg))
            {
                string dir = Directory.CreateTempSubdirectory("bit1hw-mutant-").FullName;
                try
                {
                    var files = RtlGenerator.GenerateMutant(cfg, m).Where(f => f.RelativePath.EndsWith(".v", StringComparison.Ordinal)).ToList();
                    foreach (var f in files) File.WriteAllText(Path.Combine(dir, f.RelativePath), f.Text);
                    var r = Tools.Run("verilator", dir, ["--lint-only", "--top-module", RtlGenerator.TopModule(cfg), .. files.Select(f => f.RelativePath)]);
                    Assert.True(r.ExitCode == 0, $"{cfg.Tag} {m.Id}: verilator exit {r.ExitCode}\n{r.Stderr}{r.Stdout}");
                }
                finally
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
    }

    private static string Module(HardwareConfig cfg, string id, string module) =>
        RtlGenerator.GenerateMutant(cfg, MutantLibrary.Find(cfg, id)).Single(f => f.RelativePath == $"bit1hw_{module}_{cfg.Tag}.v").Text;
}
