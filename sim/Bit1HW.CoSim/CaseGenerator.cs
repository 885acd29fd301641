using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.CoSim;

/// <summary>
/// The kinds of campaign case. The first seven are random layers of random shape (the extremes are
/// where width and sign bugs live); then raw instruction programs (<see cref="RandomPrograms"/>);
/// then the directed layers every configuration runs once (<see cref="DirectedCases"/>), whose
/// reduction length is exactly maxK.
/// </summary>
public enum CaseKind
{
    Random,
    AllZeroWeights,
    PlusOneTimesMinActivation,   // acc = -K·2^(b-1): the most negative sum
    MinusOneTimesMinActivation,  // acc = +K·2^(b-1): the most positive sum (needs the extra bit)
    MaxActivations,
    ExtremesMixed,               // random weights with activations only at -2^(b-1) and 2^(b-1)-1
    Sparse,                      // 90 % zero weights
    RandomProgram,               // random instructions, CLR anywhere
    ProgramFromReset,            // never CLRs: OUT of the reset accumulators, MAC from the reset pointers
    ProgramFillsImem,            // instrDepth words: the fetch address runs through all of imem
    MaxKMostPositive,            // K = maxK, all -1 (MAC: -128) × -2^(b-1)
    MaxKMostNegative,            // K = maxK, all +1 (MAC: 127) × -2^(b-1)
    MaxKPlusOneTimesMax,         // K = maxK, all +1 (MAC: 127) × 2^(b-1)-1
    MaxKAlternatingSigns,        // K = maxK, -2^(b-1) everywhere, each row's weights flip sign from one row block to the next (most negative first)
    MaxKMinActivationEveryLane,  // K = maxK, -2^(b-1) in every lane, random weights
    FillsMemories,               // wmem and amem filled to their depth by one layer
}

/// <summary>
/// Seeded random configurations and layers for co-simulation campaigns. Everything is a pure
/// function of the seed, so a campaign replays exactly from the seed it prints.
/// </summary>
public static class CaseGenerator
{
    private static readonly int[] LaneChoices = [1, 2, 3, 5, 7, 8, 16, 33];
    private static readonly int[] RowChoices = [1, 2, 3, 4, 5, 7];

    /// <summary>
    /// The default design first, then <paramref name="count"/> - 1 random ones: odd and even lanes
    /// and rows, actBits 4 and 8 (and 2..8 now and then), pipeEvery 1..3 and a large one, one
    /// configuration in four with the INT8 MAC baseline PE. Memories are small so builds stay fast.
    /// </summary>
    public static List<HardwareConfig> Configs(int seed, int count) => Configs(unchecked((ulong)(long)seed), count);

    /// <summary>The same for a 64-bit seed (equal to the int overload for seeds 0..int.MaxValue).</summary>
    public static List<HardwareConfig> Configs(ulong seed, int count)
    {
        var rng = new SplitMix64(seed);
        var list = new List<HardwareConfig> { HardwareConfig.Default };
        var seen = new HashSet<string> { HardwareConfig.Default.Tag };
        while (list.Count < count)
        {
            int lanes = LaneChoices[rng.Next(LaneChoices.Length)];
            int actBits = rng.Next(5) switch { 0 => rng.Next(2, 9), 1 or 2 => 4, _ => 8 };
            var cfg = new HardwareConfig
            {
                Lanes = lanes,
                Rows = RowChoices[rng.Next(RowChoices.Length)],
                ActBits = actBits,
                PipeEvery = rng.Next(6) == 0 ? 8 : rng.Next(1, 4),
                Pe = rng.Next(4) == 0 ? PeKind.Mac : PeKind.Ternary,
                WeightDepth = 256,
                ActDepth = 64,
                OutDepth = 64,
                InstrDepth = 512,
                MaxK = Math.Min(64 * lanes, 1024),
            };
            if (seen.Add(cfg.Tag)) list.Add(cfg.Validate());
        }
        return list;
    }

    /// <summary>A layer of the given kind whose shape fits the configuration's memories. A streaming
    /// engine's weights need not fit wmem (its ring), so its layers are drawn larger: their streams wrap
    /// the ring several times.</summary>
    public static Layer Layer(HardwareConfig cfg, SplitMix64 rng, CaseKind kind)
    {
        int scale = cfg.IsStreaming ? 3 : 1;
        int maxIn = Math.Min(cfg.MaxK, 4 * scale * cfg.Lanes + 3);
        for (int attempt = 0; ; attempt++)
        {
            int tokens = rng.Next(1, 4);
            int outs = rng.Next(1, 3 * scale * cfg.Rows + 3);
            int ins = rng.Next(1, maxIn + 1);
            if (attempt > 50) (tokens, outs, ins) = (1, 1, 1);
            var shape = new Workload(tokens, outs, ins);
            if (!Fits(cfg, shape)) continue;
            return new Layer(shape, Weights(cfg, rng, kind, outs * ins), Activations(cfg, rng, kind, tokens * ins));
        }
    }

    /// <summary>Whether the compiler accepts the shape: every memory holds its words and the schedule it emits fits imem.</summary>
    internal static bool Fits(HardwareConfig cfg, Workload s)
    {
        int kTiles = (s.InFeatures + cfg.Lanes - 1) / cfg.Lanes;
        int rowBlocks = (s.OutFeatures + cfg.Rows - 1) / cfg.Rows;
        return s.InFeatures <= cfg.MaxK && (cfg.IsStreaming || (long)rowBlocks * kTiles <= cfg.WeightDepth) && (long)s.Tokens * kTiles <= cfg.ActDepth
            && (long)s.Tokens * rowBlocks <= cfg.OutDepth
            && LayerCompiler.InstructionCount(new MemoryLayout(rowBlocks, kTiles, s.Tokens), cfg) <= cfg.InstrDepth;
    }

    private static sbyte[] Weights(HardwareConfig cfg, SplitMix64 rng, CaseKind kind, int n)
    {
        var w = new sbyte[n];
        for (int i = 0; i < n; i++)
            w[i] = kind switch
            {
                CaseKind.AllZeroWeights => 0,
                CaseKind.PlusOneTimesMinActivation => 1,
                CaseKind.MinusOneTimesMinActivation => cfg.Pe == PeKind.Mac ? sbyte.MinValue : (sbyte)-1,
                CaseKind.Sparse => rng.Next(10) == 0 ? RandomWeight(cfg, rng) : (sbyte)0,
                _ => RandomWeight(cfg, rng),
            };
        return w;
    }

    private static sbyte RandomWeight(HardwareConfig cfg, SplitMix64 rng) =>
        cfg.Pe == PeKind.Ternary ? (sbyte)rng.Next(-1, 2) : (sbyte)rng.Next(-128, 128);

    private static sbyte[] Activations(HardwareConfig cfg, SplitMix64 rng, CaseKind kind, int n)
    {
        int lo = BitNetQuant.QMin(cfg.ActBits), hi = BitNetQuant.QMax(cfg.ActBits);
        var x = new sbyte[n];
        for (int i = 0; i < n; i++)
            x[i] = (sbyte)(kind switch
            {
                CaseKind.PlusOneTimesMinActivation or CaseKind.MinusOneTimesMinActivation => lo,
                CaseKind.MaxActivations => hi,
                CaseKind.ExtremesMixed => rng.Next(2) == 0 ? lo : hi,
                _ => rng.Next(lo, hi + 1), // inclusive of the top value
            });
        return x;
    }
}
