using Bit1HW.Core.Hardware;

namespace Bit1HW.HdlGen.Tests;

/// <summary>Small streaming configurations covering every ring geometry: W words per beat (1, 2, 4),
/// a word spanning B = 2 or 4 beats, single-beat bursts, one or several bursts in flight, both packings.</summary>
internal static class StreamConfigs
{
    public static HardwareConfig Make(int lanes, int rows, int axiDataBits, int burstBeats, int maxOutstanding, int weightDepth,
        WeightPacking packing = WeightPacking.TwoBit, int pipeEvery = 2, int actBits = 8) => new HardwareConfig
    {
        Lanes = lanes, Rows = rows, ActBits = actBits, PipeEvery = pipeEvery,
        WeightDepth = weightDepth, ActDepth = 16, OutDepth = 16, InstrDepth = 64, MaxK = Math.Min(16 * lanes, 1024),
        Stream = new StreamConfig
        {
            AxiDataBits = axiDataBits, AxiAddrBits = 32, BurstBeats = burstBeats, MaxOutstanding = maxOutstanding, Packing = packing,
        },
    }.Validate();

    /// <summary>Named cases for theories: (name, config).</summary>
    public static readonly IReadOnlyDictionary<string, HardwareConfig> ByName = new Dictionary<string, HardwareConfig>
    {
        ["w2_beat128"] = Make(16, 2, 128, 4, 2, 64),
        ["b4_beat32"] = Make(16, 4, 32, 8, 3, 16),
        ["w1_single_beat"] = Make(8, 2, 32, 1, 1, 16, pipeEvery: 1),
        ["w4_lanes3"] = Make(4, 2, 64, 2, 4, 64, actBits: 4),
        ["base3_w2"] = Make(8, 2, 64, 4, 2, 64, WeightPacking.Base3),
        ["base3_b4"] = Make(20, 4, 32, 8, 2, 16, WeightPacking.Base3, pipeEvery: 3),
    };

    public static TheoryData<string> Names => new(ByName.Keys);
}
