using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Resources;

/// <summary>
/// What a configuration is predicted to use on a target, in the units `bit1hw synth` reports
/// (LUTs, FFs, carry cells and, on iCE40, nextpnr's logic cells; block RAMs, SPRAMs and DSPs).
/// </summary>
public sealed record ResourceEstimate(SynthTarget Target, int Luts, int Ffs, int Carry, int Brams, int Sprams, int Dsps, int? LogicCells);

/// <summary>
/// Predicts what `bit1hw synth` would measure for a configuration's board design, without running
/// yosys (issue 15; docs/resource-model.md). Block RAM, SPRAM and DSP are counted by the generator's
/// and yosys's own rules (<see cref="MemoryMapping"/>; one DSP per MAC lane, one SB_MAC16 per row
/// for SB_MAC16 accumulators), so they are exact. LUTs, FFs and carry cells are linear in the
/// structural counts of <see cref="ResourceFeatures"/>, with coefficients fitted by least squares
/// to yosys runs (<see cref="ResourceCalibration"/>). On iCE40 the LUTs are yosys's SB_LUT4 (before
/// packing); the logic cells are an affine function of max(LUT4, FF) fitted on placed designs.
/// A streaming engine (xc7 only) is predicted as `synth` measures it: its engine top, with no board wrapper.
/// </summary>
public static class ResourceModel
{
    public static ResourceEstimate Predict(HardwareConfig cfg, SynthOptions opt) =>
        Predict(cfg, opt, ResourceCoefficients.Embedded(opt.Target));

    public static ResourceEstimate Predict(HardwareConfig cfg, SynthOptions opt, ResourceCoefficients coefficients) =>
        Predict(cfg, opt, coefficients, MemoryRuleFault.None);

    internal static ResourceEstimate Predict(HardwareConfig cfg, SynthOptions opt, ResourceCoefficients coefficients, MemoryRuleFault fault)
    {
        cfg.Validate();
        opt.Validate();
        if (cfg.IsStreaming && opt.Target != SynthTarget.Xc7)
            throw new UserInputException("config: field 'stream'", $"a streaming engine is generated for the generic RTL only (target xc7), not {SynthTargets.Name(opt.Target)}");
        if (coefficients.Target != opt.Target)
            throw new InvalidOperationException($"coefficients for {SynthTargets.Name(coefficients.Target)} used for {SynthTargets.Name(opt.Target)}");
        var memories = MemoryMapping.For(cfg, opt.Target, opt.Variant, fault);
        var counts = Counts(cfg, memories, opt.Variant);
        int Linear(FitSpec spec)
        {
            double sum = spec.Offset is { } o ? counts[o] : 0;
            foreach (string f in spec.Features) sum += coefficients.Of(spec.Resource, f) * counts[f];
            return Math.Max(0, (int)Math.Round(sum, MidpointRounding.AwayFromZero));
        }
        var specs = ResourceCalibration.Specs(opt.Target).ToDictionary(s => s.Resource);
        int luts = Linear(specs["luts"]), ffs = Math.Max(Linear(specs["ffs"]), FfFloor(counts));
        int? logicCells = coefficients.LogicCellsPerMaxLutFf is { } k
            ? (int)Math.Round(k * Math.Max(luts, ffs) + (coefficients.LogicCellsOffset ?? 0), MidpointRounding.AwayFromZero) : null;
        return new ResourceEstimate(opt.Target, luts, ffs, Linear(specs["carry"]),
            memories.Sum(m => m.BlockRams), memories.Sum(m => m.Sprams), Dsps(cfg, opt.Target, opt.Variant), logicCells);
    }

    /// <summary>
    /// DSP cells: one per MAC lane (its multiplier) and one SB_MAC16 per row with SB_MAC16 accumulators.
    /// synth_ice40 -dsp maps a multiplier to SB_MAC16 only when its product is at least 11 bits wide
    /// (mul2dsp's DSP_Y_MINWIDTH), so 2-bit activations (10-bit products) stay in LUTs there;
    /// synth_xilinx has no such minimum.
    /// </summary>
    public static int Dsps(HardwareConfig cfg, SynthTarget target, RtlVariant variant)
    {
        bool mapped = cfg.Pe == PeKind.Mac && (target != SynthTarget.Ice40Up5k || cfg.PeTermBits >= Ice40DspMinProductBits);
        return (mapped ? cfg.Rows * cfg.Lanes : 0) + (variant.Accumulators == AccumulatorKind.Mac16 ? cfg.Rows : 0);
    }

    private const int Ice40DspMinProductBits = 11;

    /// <summary>
    /// 97 % of the flip-flops synthesis keeps: the PE registers above the multipliers (for a MAC array the
    /// product registers go into the DSP cells, so they are not counted), the fabric accumulators and the
    /// controller's address registers. The fitted FF count is never below it: off the calibrated range
    /// (a MAC array with pipeEvery 2 and block-RAM memories, l16_r4_a8_p2_mac) its negative coefficients
    /// could otherwise cancel the registers out (0 predicted, 614 measured).
    /// </summary>
    internal static int FfFloor(IReadOnlyDictionary<string, double> counts) =>
        (int)(FfFloorShare * (counts["pipeRegisterBits"] - counts["macTermBits"] + counts["fabricAccBits"] + counts["addressBits"]));

    /// <summary>yosys merges or drops a few of those registers (the default engine on xc7: 1362 FFs where
    /// the count is 1370), so the floor is a little below the count.</summary>
    private const double FfFloorShare = 0.97;

    /// <summary>Every structural count of <see cref="ResourceFeatures.Names"/>, plus <c>lutRamLuts</c>, by name.</summary>
    public static IReadOnlyDictionary<string, double> Counts(HardwareConfig cfg, SynthTarget target, RtlVariant variant) =>
        Counts(cfg, MemoryMapping.For(cfg, target, variant), variant);

    private static Dictionary<string, double> Counts(HardwareConfig cfg, IReadOnlyList<MappedMemory> memories, RtlVariant variant)
    {
        double[] values = ResourceFeatures.Of(cfg, variant, memories);
        var counts = ResourceFeatures.Names.Select((n, i) => (n, values[i])).ToDictionary(t => t.n, t => t.Item2);
        counts["lutRamLuts"] = memories.Sum(m => m.LutRamLuts);
        return counts;
    }
}
