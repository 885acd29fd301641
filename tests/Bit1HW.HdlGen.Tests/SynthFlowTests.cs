using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.HdlGen.Tests;

/// <summary>
/// The synthesis flow exactly as `bit1hw synth` runs it (its own yosys script), on both targets.
/// Written after `synth --target xc7` was found failing on every design: yosys 0.23's
/// synth_xilinx has no -json option, which only the flow's script used.
/// </summary>
public class SynthFlowTests
{
    private static readonly HardwareConfig Tiny = new()
    {
        Lanes = 3, Rows = 1, WeightDepth = 16, ActDepth = 16, OutDepth = 16, InstrDepth = 32, MaxK = 48,
    };

    private static SynthReport Run(HardwareConfig cfg, SynthTarget target)
    {
        string dir = Directory.CreateTempSubdirectory("bit1hw-synthflow-").FullName;
        try
        {
            return SynthFlow.Run(cfg.Validate(), target, dir, pcfPath: "", progress: _ => { }, placeAndRoute: false);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [ToolTheory("yosys")]
    [InlineData(SynthTarget.Ice40Up5k)]
    [InlineData(SynthTarget.Xc7)]
    internal void The_ternary_engine_synthesizes_with_no_multiplier_or_dsp(SynthTarget target)
    {
        SynthReport r = Run(Tiny, target);
        Assert.True(r.Design.Luts > 0 && r.Array.Luts > 0, $"{target}: design {r.Design.Luts} LUTs, array {r.Array.Luts} LUTs");
        Assert.Equal(0, r.Array.Multipliers);
        Assert.Equal(0, r.Array.Dsps);
        Assert.Equal(0, r.Design.Dsps);
    }

    [ToolFact("yosys")]
    public void The_mac_baseline_on_xc7_does_use_multipliers_so_the_zero_check_can_fail()
    {
        SynthReport r = Run(Tiny with { Pe = PeKind.Mac }, SynthTarget.Xc7);
        Assert.Equal(3, r.Array.Multipliers);
    }
}
