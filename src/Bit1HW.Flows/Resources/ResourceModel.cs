using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Resources;

/// <summary>
/// What a configuration is predicted to use on a target, in the units `bit1hw synth` reports
/// (LUTs, FFs, carry cells and, on iCE40, nextpnr's logic cells; block RAMs, SPRAMs and DSPs).
/// </summary>
public sealed record ResourceEstimate(SynthTarget Target, int Luts, int Ffs, int Carry, int Brams, int Sprams, int Dsps, int? LogicCells);

/// <summary>
/// Predicts a configuration's resources without running yosys (issue 15). Placeholder: a rough
/// per-lane figure until the calibrated per-component model replaces it; do not publish its figures.
/// </summary>
public static class ResourceModel
{
    public static ResourceEstimate Predict(HardwareConfig cfg, SynthOptions opt)
    {
        cfg.Validate();
        int lanes = cfg.Lanes * cfg.Rows;
        int luts = 21 * lanes + 600;
        return new ResourceEstimate(opt.Target, luts, 12 * lanes + 300, 8 * lanes, Brams: 4, Sprams: 0, Dsps: 0,
            LogicCells: opt.Target == SynthTarget.Ice40Up5k ? luts + luts / 10 : null);
    }
}
