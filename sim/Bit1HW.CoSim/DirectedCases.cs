using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.CoSim;

/// <summary>
/// The directed cases every configuration runs once (docs/verification.md, "Directed cases"): layers
/// whose reduction length is exactly maxK with the extreme values given as integers (float
/// quantization never produces -2^(b-1)), a layer that fills the weight and activation memories to
/// their depth, and one program of each kind. A maxK layer needs ceil(maxK / lanes) weight words; a
/// configuration whose weight memory is smaller cannot hold one, and the case is skipped (the
/// coverage report then shows the accumulator bound as not reached).
/// </summary>
public static class DirectedCases
{
    /// <summary>The directed kinds, in the order a campaign runs them.</summary>
    public static IReadOnlyList<CaseKind> Kinds { get; } =
    [
        CaseKind.MaxKMostPositive, CaseKind.MaxKMostNegative, CaseKind.MaxKPlusOneTimesMax, CaseKind.MaxKAlternatingSigns,
        CaseKind.MaxKMinActivationEveryLane, CaseKind.FillsMemories, CaseKind.ProgramFromReset, CaseKind.ProgramFillsImem,
    ];

    /// <summary>The directed layer of <paramref name="kind"/> for the configuration, or null when it does not fit its memories.</summary>
    public static Layer? Layer(HardwareConfig cfg, SplitMix64 rng, CaseKind kind)
    {
        if (kind == CaseKind.FillsMemories) return FillsMemories(cfg, rng);
        int kTiles = (cfg.MaxK + cfg.Lanes - 1) / cfg.Lanes;
        int rowBlocks = kind == CaseKind.MaxKAlternatingSigns && 2L * kTiles <= cfg.WeightDepth ? 2 : 1;
        var shape = new Workload(1, rowBlocks * cfg.Rows, cfg.MaxK);
        if (!CaseGenerator.Fits(cfg, shape)) return null;
        int lo = BitNetQuant.QMin(cfg.ActBits), hi = BitNetQuant.QMax(cfg.ActBits);
        sbyte plus = cfg.Pe == PeKind.Mac ? sbyte.MaxValue : (sbyte)1, minus = cfg.Pe == PeKind.Mac ? sbyte.MinValue : (sbyte)-1;
        var w = new sbyte[shape.OutFeatures * shape.InFeatures];
        for (int o = 0; o < shape.OutFeatures; o++)
            for (int k = 0; k < shape.InFeatures; k++)
                w[o * shape.InFeatures + k] = kind switch
                {
                    CaseKind.MaxKMostPositive => minus,
                    CaseKind.MaxKMostNegative or CaseKind.MaxKPlusOneTimesMax => plus,
                    CaseKind.MaxKAlternatingSigns => (o / cfg.Rows + o % cfg.Rows) % 2 == 0 ? plus : minus,
                    CaseKind.MaxKMinActivationEveryLane => RandomWeight(cfg, rng),
                    _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a directed layer kind"),
                };
        var x = new sbyte[shape.InFeatures];
        Array.Fill(x, (sbyte)(kind == CaseKind.MaxKPlusOneTimesMax ? hi : lo));
        return new Layer(shape, w, x);
    }

    /// <summary>
    /// tokens · KT = actDepth and row blocks · KT = weightDepth: the largest power-of-two K-tile count
    /// (it divides both depths) whose reduction fits maxK and whose program and outputs fit.
    /// </summary>
    private static Layer? FillsMemories(HardwareConfig cfg, SplitMix64 rng)
    {
        int maxTiles = (cfg.MaxK + cfg.Lanes - 1) / cfg.Lanes;
        for (int kTiles = Math.Min(cfg.ActDepth, cfg.WeightDepth); kTiles >= 1; kTiles /= 2)
        {
            if (kTiles > maxTiles) continue;
            int ins = Math.Min(kTiles * cfg.Lanes, cfg.MaxK);
            var shape = new Workload(cfg.ActDepth / kTiles, cfg.WeightDepth / kTiles * cfg.Rows, ins);
            if (!CaseGenerator.Fits(cfg, shape)) continue;
            int lo = BitNetQuant.QMin(cfg.ActBits), hi = BitNetQuant.QMax(cfg.ActBits);
            var w = new sbyte[shape.OutFeatures * ins];
            for (int i = 0; i < w.Length; i++) w[i] = RandomWeight(cfg, rng);
            var x = new sbyte[shape.Tokens * ins];
            for (int i = 0; i < x.Length; i++) x[i] = (sbyte)(rng.Next(4) == 0 ? lo : rng.Next(lo, hi + 1));
            return new Layer(shape, w, x);
        }
        return null;
    }

    private static sbyte RandomWeight(HardwareConfig cfg, SplitMix64 rng) =>
        cfg.Pe == PeKind.Ternary ? (sbyte)rng.Next(-1, 2) : (sbyte)rng.Next(-128, 128);
}
