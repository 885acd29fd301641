using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Flows.Resources;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Synth;
using Bit1HW.Testing;

namespace Bit1HW.Flows.Tests;

/// <summary>
/// The resource model against its calibration data (docs/resource-model/*.csv, measured with yosys by
/// docs/resource-model/measure.sh): the shipped coefficients are what those files fit, memories and DSPs
/// are exact on every measured point, the held-out points are within 10 %, and a wrong memory rule is caught.
/// </summary>
public class ResourceModelTests
{
    public static readonly TheoryData<SynthTarget> Targets = new(SynthTarget.Ice40Up5k, SynthTarget.Xc7);

    internal static CalibrationData Data(SynthTarget t) =>
        CalibrationFile.Read(RepoPaths.Of("docs", "resource-model", $"{ResourceCoefficients.FileName(t)}.csv"));

    [Theory]
    [MemberData(nameof(Targets))]
    public void The_shipped_coefficients_are_exactly_what_the_calibration_file_fits(SynthTarget t)
    {
        string json = File.ReadAllText(RepoPaths.Of("docs", "resource-model", $"{ResourceCoefficients.FileName(t)}.json"));
        var data = Data(t);
        Assert.Equal(json, ResourceCalibration.Fit(t, data.Points, data.Yosys).ToJson());
        Assert.Equal(json, ResourceCoefficients.Embedded(t).ToJson());
        Assert.Equal(json, ResourceCoefficients.Parse(json, "x.json").ToJson());
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void The_error_tables_in_the_docs_are_what_check_prints(SynthTarget t)
    {
        string doc = File.ReadAllText(RepoPaths.Of("docs", "resource-model.md")).ReplaceLineEndings("\n");
        string start = $"<!-- resources --check {SynthTargets.Name(t)} -->\n";
        int from = doc.IndexOf(start, StringComparison.Ordinal) + start.Length;
        Assert.True(from >= start.Length, $"docs/resource-model.md has no '{start.Trim()}'");
        string table = doc[from..doc.IndexOf("<!-- end -->", from, StringComparison.Ordinal)];
        Assert.Equal(ResourceErrors.Markdown(ResourceErrors.Of(Data(t).Points, t, ResourceCoefficients.Embedded(t))), table);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Block_ram_spram_and_dsps_are_exact_on_every_measured_point(SynthTarget t)
    {
        var errors = ResourceErrors.Of(Data(t).Points, t, ResourceCoefficients.Embedded(t));
        Assert.True(errors.Count >= 15, $"{errors.Count} points");
        Assert.All(errors, e => Assert.True(e.MemoriesAndDspsExact,
            $"{e.Point.Name} ({e.Point.Config.Tag}): predicted {e.Predicted}, measured {e.Measured}"));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Held_out_points_are_within_ten_percent_in_luts_and_placed_logic_cells(SynthTarget t)
    {
        var heldOut = ResourceErrors.Of(Data(t).Points, t, ResourceCoefficients.Embedded(t)).Where(e => e.Point.HeldOut).ToList();
        Assert.True(heldOut.Count(e => !e.Point.Config.IsStreaming) >= 4, $"{heldOut.Count} held-out points");
        if (t == SynthTarget.Xc7) Assert.True(heldOut.Count(e => e.Point.Config.IsStreaming) >= 3, "held-out streaming engines");
        else Assert.True(heldOut.Count(e => e.Measured.LogicCells is not null) >= 3, "held-out placed points");
        Assert.All(heldOut, e => Assert.True(Math.Abs(e.LutErrorPercent) <= 10, $"{e.Point.Name}: LUTs {e.Predicted.Luts} predicted, {e.Measured.Luts} measured"));
        Assert.All(heldOut.Where(e => e.LogicCellErrorPercent is not null), e => Assert.True(Math.Abs(e.LogicCellErrorPercent!.Value) <= 10,
            $"{e.Point.Name}: logic cells {e.Predicted.LogicCells} predicted, {e.Measured.LogicCells} measured"));
    }

    [Theory]
    [InlineData(SynthTarget.Ice40Up5k, MemoryRuleFault.Ice40CapacityOnly)]
    [InlineData(SynthTarget.Xc7, MemoryRuleFault.Xc7AlwaysBlockRam)]
    internal void A_wrong_block_ram_rule_is_caught_by_the_exactness_check(SynthTarget t, MemoryRuleFault fault)
    {
        var errors = ResourceErrors.Of(Data(t).Points, t, ResourceCoefficients.Embedded(t), fault);
        Assert.Contains(errors, e => !e.MemoriesAndDspsExact);
    }

    [Fact]
    public void The_mac16_accumulators_take_one_sb_mac16_per_row_and_mac_lanes_one_dsp_each()
    {
        var cfg = new HardwareConfig { Lanes = 7, Rows = 3, Pe = PeKind.Mac, WeightDepth = 16, ActDepth = 16, OutDepth = 16, InstrDepth = 32 };
        Assert.Equal(21, ResourceModel.Predict(cfg, new SynthOptions(SynthTarget.Xc7)).Dsps);
        var ternary = cfg with { Pe = PeKind.Ternary };
        Assert.Equal(3, ResourceModel.Predict(ternary, new SynthOptions(SynthTarget.Ice40Up5k) { Accumulators = AccumulatorKind.Mac16 }).Dsps);
        Assert.Equal(0, ResourceModel.Predict(ternary, new SynthOptions(SynthTarget.Ice40Up5k)).Dsps);
    }

    [Fact]
    public void The_icebreaker_configuration_fills_the_up5k_memories_as_measured()
    {
        var e = ResourceModel.Predict(RtlVariant.IceBreaker, new SynthOptions(SynthTarget.Ice40Up5k));
        Assert.Equal((30, 4), (e.Brams, e.Sprams));   // docs/hardware.md, "Results": 30 of 30 block RAMs, 4 of 4 SPRAMs
        Assert.NotNull(e.LogicCells);
        Assert.Null(ResourceModel.Predict(HardwareConfig.Default, new SynthOptions(SynthTarget.Xc7)).LogicCells);
    }

    [Theory]
    [InlineData(1, 1, 8 + 1 + 1, 0)]                       // one lane: the term register, no adder
    [InlineData(3, 1, 3 * 9 + 1 + 2 * 10 + 1 + 11 + 1, 9 + 10)]   // 3 lanes: level 1 adds one pair (9 bits), level 2 one (10 bits)
    [InlineData(3, 2, 3 * 9 + 1 + 11 + 1, 9 + 10)]   // pipeEvery 2: level 1 is not registered
    public void The_adder_tree_counts_follow_the_generators_structure(int lanes, int pipeEvery, int registerBits, int adderBits)
    {
        var cfg = new HardwareConfig { Lanes = lanes, Rows = 1, ActBits = 8, PipeEvery = pipeEvery, MaxK = lanes };
        Assert.Equal((adderBits, registerBits), ResourceFeatures.Tree(cfg));
    }

    [Fact]
    public void A_streaming_engine_is_predicted_on_xc7_and_refused_on_ice40_with_one_line_naming_the_field()
    {
        var cfg = HardwareConfig.Load(RepoPaths.Of("docs", "examples", "stream-small.json"));
        var xc7 = ResourceModel.Predict(cfg, new SynthOptions(SynthTarget.Xc7));
        Assert.True(xc7.Luts > ResourceModel.Predict(cfg with { Stream = null }, new SynthOptions(SynthTarget.Xc7)).Luts / 2);
        var e = Assert.Throws<UserInputException>(() => ResourceModel.Predict(cfg, new SynthOptions(SynthTarget.Ice40Up5k)));
        Assert.Contains("'stream'", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Theory]
    [InlineData("name,set\n", "line 1")]
    [InlineData("# yosys: Y\nname,set\n", "line 2")]
    [InlineData("# yosys: Y\n" + CalibrationFile.Header + "\nx,fit,16,1,8,1,ternary,16,16,16,32,256,fabric,none,1,2,3,4,5,6,7,8,\ny,maybe,16,1,8,1,ternary,16,16,16,32,256,fabric,none,1,2,3,4,5,6,7,8,\n",
        "line 4, column 'set'")]
    [InlineData("# yosys: Y\n" + CalibrationFile.Header + "\nx,fit,16,1,8,1,ternary,16,16,16,32,256,fabric,none,1,two,3,4,5,6,7,8,\n", "line 3, column 'ffs'")]
    [InlineData("# yosys: Y\n" + CalibrationFile.Header + "\nx,fit,16,1,8,1,ternary,16,16,16,32,256,fabric,128:32:4,1,2,3,4,5,6,7,8,\n", "line 3, column 'stream'")]
    [InlineData("# yosys: Y\n" + CalibrationFile.Header + "\nx,fit,0,1,8,1,ternary,16,16,16,32,256,fabric,none,1,2,3,4,5,6,7,8,\n", "line 3: field 'lanes'")]
    public void A_malformed_calibration_file_is_one_line_naming_the_line_and_column(string text, string where)
    {
        var e = Assert.Throws<UserInputException>(() => CalibrationFile.Parse(text, "c.csv"));
        Assert.Contains($"c.csv: {where}", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }
}

/// <summary>Held-out configurations re-measured with yosys now (not read from the calibration file): the
/// model's prediction is within 10 % in LUTs and exact in block RAM, SPRAM and DSPs. Small ones, for CI.</summary>
public class ResourceModelYosysTests
{
    [ToolTheory("yosys")]
    [InlineData(SynthTarget.Ice40Up5k, "l20r1a4p2")]
    [InlineData(SynthTarget.Ice40Up5k, "l6r2mac")]
    [InlineData(SynthTarget.Xc7, "l20r1a4p2")]
    [InlineData(SynthTarget.Xc7, "l6r2mac")]
    [InlineData(SynthTarget.Xc7, "s16r2")]
    [InlineData(SynthTarget.Xc7, "s8r4w128")]   // a 128-word ring: no per-flip-flop copies of the stall logic
    public void A_held_out_configuration_measured_by_yosys_is_predicted_within_ten_percent(SynthTarget t, string name)
    {
        var point = ResourceModelTests.Data(t).Points.Single(p => p.Name == name);
        Assert.True(point.HeldOut);
        var opt = new SynthOptions(t) { PlaceAndRoute = false, Accumulators = point.Accumulators };
        string dir = Path.Combine(Path.GetTempPath(), $"bit1hw-resources-{Environment.ProcessId}-{name}-{SynthTargets.Name(t)}");
        try
        {
            var design = SynthFlow.Run(point.Config, opt, dir, _ => { }).Design;
            var e = ResourceModel.Predict(point.Config, opt);
            string what = $"{name} on {SynthTargets.Name(t)}: predicted {e}, yosys {design.Luts} LUTs, {design.Brams} block RAM, {design.Sprams} SPRAM, {design.Dsps} DSP";
            Assert.True(Math.Abs(e.Luts - design.Luts) <= 0.10 * design.Luts, what);
            Assert.True((e.Brams, e.Sprams, e.Dsps) == (design.Brams, design.Sprams, design.Dsps), what);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
