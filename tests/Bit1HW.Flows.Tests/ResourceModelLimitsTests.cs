using Bit1HW.Core.Hardware;
using Bit1HW.Flows.Resources;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Tests;

/// <summary>
/// The resource model where a linear fit alone went wrong (docs/resource-model.md, "Reading the tables"):
/// streaming engines whose stall logic yosys copies per flip-flop, a MAC engine off the calibrated range
/// whose fitted FFs came out 0, and the logic cells of small iCE40 engines.
/// </summary>
public class ResourceModelLimitsTests
{
    private static HardwareConfig Stream(int weightDepth) => new()
    {
        Lanes = 8, Rows = 4, ActBits = 8, WeightDepth = weightDepth, ActDepth = 64, OutDepth = 64, InstrDepth = 128, MaxK = 512,
        Stream = new StreamConfig { AxiDataBits = 128, AxiAddrBits = 32, BurstBeats = 4, MaxOutstanding = 2, Packing = WeightPacking.TwoBit },
    };

    [Fact]
    public void A_ring_of_at_most_64_words_costs_about_one_lut_per_frozen_flip_flop_and_a_deeper_one_none()
    {
        var shallow = ResourceModel.Counts(Stream(64), SynthTarget.Xc7, new RtlVariant());
        var deep = ResourceModel.Counts(Stream(128), SynthTarget.Xc7, new RtlVariant());
        Assert.Equal(shallow["pipeRegisterBits"] + shallow["lutRamReadBits"], shallow["stallEnableBits"]);
        Assert.Equal(0, deep["stallEnableBits"]);
        // The fit finds the copy a LUT4 each (the netlists: one LUT4 per CE pin); far from 1 would mean the count is wrong.
        double perFlipFlop = ResourceCoefficients.Embedded(SynthTarget.Xc7).Of("luts", "stallEnableBits");
        Assert.InRange(perFlipFlop, 0.85, 1.15);
    }

    [Fact]
    public void Streaming_engines_with_deep_rings_are_not_charged_the_copied_stall_logic()
    {
        // s8r4w512 was predicted 70.7 % over before the count existed; all 8 lanes × 4 rows engines are 128-word rings.
        var errors = ResourceErrors.Of(ResourceModelTests.Data(SynthTarget.Xc7).Points, SynthTarget.Xc7, ResourceCoefficients.Embedded(SynthTarget.Xc7))
            .Where(e => e.Point.Config.IsStreaming && e.Point.Config.WeightDepth > ResourceFeatures.StallCopiedUpToWords).ToList();
        Assert.True(errors.Count >= 5, $"{errors.Count} deep-ring engines");
        Assert.All(errors, e => Assert.True(Math.Abs(e.LutErrorPercent) <= 10, $"{e.Point.Name}: {e.Predicted.Luts} / {e.Measured.Luts}"));
    }

    [Fact]
    public void The_ff_floor_holds_on_every_measured_point_and_keeps_a_mac_engine_with_pipe_every_2_near_yosys()
    {
        foreach (var t in new[] { SynthTarget.Ice40Up5k, SynthTarget.Xc7 })
            foreach (var p in ResourceModelTests.Data(t).Points)
                Assert.True(ResourceModel.FfFloor(ResourceModel.Counts(p.Config, t, p.Variant(t))) <= p.Measured.Ffs,
                    $"{p.Name} on {t}: floor above the {p.Measured.Ffs} FFs yosys counts");
        var point = ResourceModelTests.Data(SynthTarget.Xc7).Points.Single(p => p.Name == "l16r4p2mac");
        Assert.True(point.HeldOut);
        int predicted = ResourceModel.Predict(point.Config, new SynthOptions(SynthTarget.Xc7)).Ffs;
        Assert.True(Math.Abs(predicted - point.Measured.Ffs) <= 0.15 * point.Measured.Ffs, $"{predicted} FFs predicted, {point.Measured.Ffs} measured (0 without the floor)");
    }
}
