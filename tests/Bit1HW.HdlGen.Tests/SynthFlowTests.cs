using System.Collections.Concurrent;
using System.Text.Json;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.HdlGen.Tests;

/// <summary>
/// The synthesis flow exactly as `bit1hw synth` runs it, on both targets. The first version
/// doubled every 7-series figure (it summed yosys's per-module lines and the hierarchy total),
/// left LUT-RAM and inverters out, and let -abc9 drop cells unnoticed; these tests count the
/// netlist independently, plant designs whose counts are known, and plant broken netlists.
/// </summary>
public class SynthFlowTests
{
    private static readonly HardwareConfig Tiny = new()
    {
        Lanes = 3, Rows = 1, WeightDepth = 16, ActDepth = 16, OutDepth = 16, InstrDepth = 32, MaxK = 48,
    };

    private static SynthReport Run(SynthDesign d, SynthOptions opt, Action<string>? onWorkDir = null)
    {
        string dir = Directory.CreateTempSubdirectory("bit1hw-synthflow-").FullName;
        try
        {
            var r = SynthFlow.Run(d, opt, dir, _ => { });
            onWorkDir?.Invoke(dir);
            return r;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static SynthReport YosysOnly(HardwareConfig cfg, SynthTarget t) =>
        Run(SynthDesign.FromConfig(cfg.Validate()), new SynthOptions(t) { PlaceAndRoute = false });

    // The tiny ternary engine's run on each target, with the cells of the netlist yosys wrote, shared by two tests.
    private static readonly ConcurrentDictionary<SynthTarget, Lazy<(SynthReport Report, Dictionary<string, int> Netlist)>> TinyRuns = new();

    private static (SynthReport Report, Dictionary<string, int> Netlist) TinyRun(SynthTarget target) => TinyRuns.GetOrAdd(target, t => new(() =>
    {
        Dictionary<string, int>? netlist = null;
        SynthReport r = Run(SynthDesign.FromConfig(Tiny.Validate()), new SynthOptions(t) { PlaceAndRoute = false },
            dir => netlist = NetlistCells(File.ReadAllText(Path.Combine(dir, "design.json"))));
        return (r, netlist!);
    })).Value;

    [ToolTheory("yosys")]
    [InlineData(SynthTarget.Ice40Up5k)]
    [InlineData(SynthTarget.Xc7)]
    internal void The_report_has_every_cell_of_the_written_netlist_exactly_once(SynthTarget target)
    {
        var (r, netlist) = TinyRun(target);
        Assert.Equal(netlist.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"),
            r.Design.Cells.Select(c => $"{c.Type} {c.Count}"));
        // The LUT and FF figures again, from the netlist with this test's own reading of the cell libraries.
        int Sum(Func<string, int> weight) => netlist.Sum(kv => kv.Value * weight(kv.Key));
        Assert.Equal(Sum(t => t is "SB_LUT4" or "INV" || (t.StartsWith("LUT", StringComparison.Ordinal) && t.Length == 4) ? 1
            : t is "RAM32M" or "RAM64M" ? 4 : t is "RAM32X1D" or "RAM64X1D" ? 2 : 0), r.Design.Luts);
        Assert.Equal(Sum(t => t.StartsWith("SB_DFF", StringComparison.Ordinal) || t is "FDRE" or "FDSE" or "FDCE" or "FDPE" ? 1 : 0), r.Design.Ffs);
        Assert.True(r.Design.Luts > 0 && r.Design.Ffs > 0, $"{target}: {r.Design.Luts} LUTs, {r.Design.Ffs} FFs");
    }

    /// <summary>Cell types of a yosys JSON netlist, walking the hierarchy from the top (a module instantiated twice counts twice).</summary>
    private static Dictionary<string, int> NetlistCells(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var modules = doc.RootElement.GetProperty("modules");
        string top = modules.EnumerateObject().Single(m => m.Value.TryGetProperty("attributes", out var a) && a.TryGetProperty("top", out _)).Name;
        var counts = new Dictionary<string, int>();
        void Walk(string module)
        {
            foreach (var cell in modules.GetProperty(module).GetProperty("cells").EnumerateObject())
            {
                string type = cell.Value.GetProperty("type").GetString()!;
                bool isDesignModule = modules.TryGetProperty(type, out var sub) &&
                    !(sub.TryGetProperty("attributes", out var a) && (a.TryGetProperty("blackbox", out _) || a.TryGetProperty("whitebox", out _)));
                if (isDesignModule) Walk(type);
                else counts[type] = counts.GetValueOrDefault(type) + 1;
            }
        }
        Walk(top);
        return counts;
    }

    /// <summary>Two instances of an 8-bit registered XOR: 16 two-input LUTs and 16 flip-flops on either part.</summary>
    private static SynthDesign TwoXorRegisters() => new("xor2x8",
    [
        new("xor_reg.v", "module xor_reg(input clk, input [7:0] a, input [7:0] b, output reg [7:0] q);\n" +
            "  always @(posedge clk) q <= a ^ b;\nendmodule\n"),
        new("two_xor_regs.v", "module two_xor_regs(input clk, input [7:0] a, input [7:0] b, input [7:0] c, output [7:0] q0, output [7:0] q1);\n" +
            "  xor_reg r0 (.clk(clk), .a(a), .b(b), .q(q0));\n  xor_reg r1 (.clk(clk), .a(b), .b(c), .q(q1));\nendmodule\n"),
    ], "two_xor_regs", "two_xor_regs", 16);

    [ToolTheory("yosys")]
    [InlineData(SynthTarget.Ice40Up5k)]
    [InlineData(SynthTarget.Xc7)]
    internal void A_hierarchical_design_with_known_cells_is_counted_exactly_not_twice(SynthTarget target)
    {
        SynthReport r = Run(TwoXorRegisters(), new SynthOptions(target) { PlaceAndRoute = false });
        Assert.Equal((16, 16, 0, 0), (r.Design.Luts, r.Design.Ffs, r.Design.Brams, r.Design.Dsps));
    }

    [ToolTheory("yosys")]
    [InlineData(SynthTarget.Ice40Up5k)]
    [InlineData(SynthTarget.Xc7)]
    internal void A_planted_multiple_driver_fails_the_check_with_a_one_line_message(SynthTarget target)
    {
        var broken = new SynthDesign("multi", [new("multi.v",
            "module multi(input clk, input a, input b, output reg q);\n  wire w;\n  assign w = a;\n  assign w = b;\n" +
            "  always @(posedge clk) q <= w;\nendmodule\n")], "multi", "multi", 1);
        var e = Assert.Throws<ExternalToolException>(() => Run(broken, new SynthOptions(target) { PlaceAndRoute = false }));
        Assert.Equal("yosys", e.Tool);
        Assert.Contains("check -assert found 1 problem in multi", e.Message);
        Assert.Contains("multiple conflicting drivers for multi.", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [ToolTheory("yosys")]
    [InlineData(SynthTarget.Ice40Up5k)]
    [InlineData(SynthTarget.Xc7)]
    internal void Cells_dropped_after_synthesis_leave_undriven_wires_that_fail_the_check(SynthTarget target)
    {
        var opt = new SynthOptions(target) { PlaceAndRoute = false, Faults = SynthFaults.DropFlipFlopsAfterSynthesis };
        var e = Assert.Throws<ExternalToolException>(() => Run(SynthDesign.FromConfig(Tiny.Validate()), opt));
        Assert.Contains($"in {RtlGenerator.BoardModule(Tiny)} after {SynthTargets.YosysSynth(target)}", e.Message);
        Assert.Contains("is used but has no driver", e.Message);
    }

    [ToolTheory("yosys")]
    [InlineData(SynthTarget.Ice40Up5k)]
    [InlineData(SynthTarget.Xc7)]
    internal void The_ternary_engine_synthesizes_with_no_multiplier_or_dsp(SynthTarget target)
    {
        SynthReport r = TinyRun(target).Report;
        Assert.True(r.Design.Luts > 0 && r.Array.Luts > 0, $"{target}: design {r.Design.Luts} LUTs, array {r.Array.Luts} LUTs");
        Assert.Equal((0, 0, 0, 0), (r.Array.Multipliers, r.Design.Multipliers, r.Array.Dsps, r.Design.Dsps));
    }

    [ToolTheory("yosys")]
    [InlineData(SynthTarget.Ice40Up5k)]
    [InlineData(SynthTarget.Xc7)]
    internal void The_mac_baseline_maps_one_dsp_per_lane_on_both_targets(SynthTarget target)
    {
        SynthReport r = YosysOnly(Tiny with { Pe = PeKind.Mac }, target);
        Assert.Equal((3, 3), (r.Array.Multipliers, r.Design.Multipliers));
        Assert.Equal((3, 3), (r.Array.Dsps, r.Design.Dsps));
    }

    [ToolFact("yosys", "nextpnr-ice40")]
    public void Place_and_route_keeps_every_seed_and_reports_the_median_with_its_critical_path()
    {
        var opt = new SynthOptions(SynthTarget.Ice40Up5k) { Seeds = 3, PcfPath = Path.Combine(Repo.Root, "constraints", "icebreaker.pcf") };
        var progress = new List<string>();
        string dir = Directory.CreateTempSubdirectory("bit1hw-synthflow-").FullName;
        try
        {
            SynthReport r = SynthFlow.Run(Tiny, opt, dir, progress.Add);
            PlaceRoute p = r.Pnr!;
            Assert.Null(p.Failure);
            Assert.Equal([1, 2, 3], p.Seeds.Select(s => s.Seed));
            var sorted = p.Seeds.Select(s => s.FmaxMhz).Order().ToList();
            Assert.Equal(sorted[1], r.FmaxMhz!.Value);
            Assert.All(p.Seeds, s => Assert.True(s.Path is { DelayNs: > 0 } cp && cp.From.Contains('.') && cp.To.Contains('.'), $"seed {s.Seed}: {s.Path}"));
            // One clock: Fmax is the inverse of its critical path's delay (both rounded by the report).
            Assert.InRange(1000 / p.Median!.Path!.DelayNs, 0.98 * r.FmaxMhz.Value, 1.02 * r.FmaxMhz.Value);
            var lc = r.Device.Single(u => u.Resource == "logic cells");
            Assert.Equal((p.LogicCells, 5280), (lc.Used, lc.Available));
            Assert.Contains(progress, l => l.StartsWith("synth: [4/4] nextpnr-ice40 --seed 3", StringComparison.Ordinal));
            Assert.Contains("above what the design reaches", r.Note);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
