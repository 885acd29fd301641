using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Gen;

namespace Bit1HW.Flows.Resources;

/// <summary>
/// The structural counts the resource model multiplies by its coefficients, each counted from the
/// configuration the way the generator builds the engine (docs/hardware.md, "Generator";
/// docs/resource-model.md says which count stands for which component):
/// <list type="bullet">
/// <item><c>ternaryTermBits</c>: rows · lanes · actBits, the ternary lane terms (a, ~a or 0 per bit).</item>
/// <item><c>ternaryAdderBits</c>, <c>macAdderBits</c>: rows · the sum of the adder-tree adders' widths
/// (level k adds pairs, one bit wider than its inputs, capped at PeOutBits; an odd node passes through).</item>
/// <item><c>pipeRegisterBits</c>: rows · every PE register bit (the lane terms, each registered level,
/// the ternary +1 corrections, the valid bits).</item>
/// <item><c>fabricAccBits</c>: rows · AccBits for fabric accumulators, 0 with SB_MAC16 accumulators.</item>
/// <item><c>outWordBits</c>: rows · AccBits, the omem word (read-first bypass, the host's row select,
/// the board wrapper's comparison).</item>
/// <item><c>macLanes</c>: rows · lanes of an INT8 MAC array (one multiplier each).</item>
/// <item><c>macTermBits</c>: rows · lanes · the product's width (actBits + 8) of a MAC array.</item>
/// <item><c>hostDataBits</c>: the host write port, which the board wrapper's ROM of host writes drives
/// (0 for a streaming engine, measured without a board wrapper).</item>
/// <item><c>addressBits</c>: the address and pointer registers of the controller and the board
/// (imem, wmem, amem, omem addresses, the repeat counter, the row select).</item>
/// <item><c>lutRamReadBits</c>: the read-register bits of the memories that become LUT-RAM (xc7).</item>
/// <item><c>streamWordBits</c>: a streaming engine's weight word (the ring's read side, one word a cycle).</item>
/// <item><c>streamBeatBits</c>: a streaming engine's AXI data width (the beat path into the ring).</item>
/// <item><c>streamHostBits</c>: a streaming engine's host write port and omem word, which its top's
/// ports (no board wrapper) keep whole: hostDataBits + outWordBits.</item>
/// <item><c>base3Weights</c>: the weights a base-3 streaming engine decodes per beat (W · rows · lanes).</item>
/// <item><c>stallEnableBits</c>: the flip-flops a streaming engine's stall freezes (the PE registers and the
/// LUT-RAM read registers), when its ring is at most <see cref="StallCopiedUpToWords"/> words: yosys then gives each
/// its own copy of the stall logic, a LUT4 (0 for a deeper ring, whose flip-flops share one enable net).</item>
/// <item><c>streaming</c>: 1 for a streaming engine (its AXI read engine and stall logic, no board wrapper).</item>
/// <item><c>one</c>: the constant (the controller's decode, the board wrapper's sequencer).</item>
/// </list>
/// </summary>
public static class ResourceFeatures
{
    public static readonly IReadOnlyList<string> Names =
    [
        "ternaryTermBits", "ternaryAdderBits", "macAdderBits", "pipeRegisterBits", "fabricAccBits", "outWordBits",
        "macLanes", "macTermBits", "hostDataBits", "addressBits", "lutRamReadBits", "streamWordBits", "streamBeatBits", "streamHostBits", "base3Weights", "stallEnableBits", "streaming", "one",
    ];

    /// <summary>The counts of <paramref name="cfg"/> for <paramref name="variant"/>, in the order of <see cref="Names"/>.</summary>
    public static double[] Of(HardwareConfig cfg, RtlVariant variant, IReadOnlyList<MappedMemory> memories)
    {
        bool ternary = cfg.Pe == PeKind.Ternary;
        var (adderBits, registerBits) = Tree(cfg);
        int rows = cfg.Rows;
        int outWord = rows * cfg.AccBits;
        int address = cfg.InstrAddrBits + cfg.WeightAddrBits + cfg.ActAddrBits + cfg.OutAddrBits + cfg.RepeatBits + cfg.RowSelectBits;
        int lutRamRead = memories.Where(m => m.LutRamLuts > 0).Sum(m => m.WordBits);
        return
        [
            ternary ? rows * cfg.Lanes * cfg.ActBits : 0,
            ternary ? rows * adderBits : 0,
            ternary ? 0 : rows * adderBits,
            rows * registerBits,
            variant.Accumulators == AccumulatorKind.Fabric ? outWord : 0,
            outWord,
            ternary ? 0 : rows * cfg.Lanes,
            ternary ? 0 : rows * cfg.Lanes * cfg.PeTermBits,
            cfg.IsStreaming ? 0 : cfg.HostDataBits,
            address,
            lutRamRead,
            cfg.IsStreaming ? cfg.WeightWordBits : 0,
            cfg.Stream?.AxiDataBits ?? 0,
            cfg.IsStreaming ? cfg.HostDataBits + outWord : 0,
            cfg.Stream?.Packing == WeightPacking.Base3 ? WordsPerBeat(cfg) * cfg.Rows * cfg.Lanes : 0,
            cfg.IsStreaming && cfg.WeightDepth <= StallCopiedUpToWords ? rows * registerBits + lutRamRead : 0,
            cfg.IsStreaming ? 1 : 0,
            1,
        ];
    }

    /// <summary>
    /// The largest ring (weightDepth) for which yosys 0.23's abc copies the stall logic into one LUT4 per
    /// enabled flip-flop instead of driving their CE pins from one <c>go</c> net (seen in the netlists of all
    /// 15 measured streaming engines: 24-34 LUT4 per lane and row up to 64 words, about 10 in all from 128).
    /// </summary>
    internal const int StallCopiedUpToWords = 64;

    /// <summary>W, the stream words one AXI beat holds (1 when a word spans several beats; docs/hardware.md,
    /// "Weight streaming over AXI": one of the two divides the other).</summary>
    internal static int WordsPerBeat(HardwareConfig cfg) => Math.Max(1, cfg.Stream!.AxiDataBits / cfg.StreamWordBits);

    /// <summary>A ring line: the W decoded weight words of one beat.</summary>
    internal static int RingLineBits(HardwareConfig cfg) => checked(WordsPerBeat(cfg) * cfg.WeightWordBits);

    /// <summary>
    /// One PE's adder bits and register bits. Lane terms are actBits wide (ternary, ones' complement)
    /// or the INT8 product's width (MAC); level k's sums are one bit wider than level k - 1's, capped at
    /// PeOutBits. Registers: the terms, every level k with k mod pipeEvery = 0, and the last level, each
    /// with one valid bit; a ternary node also registers its one-bit +1 correction.
    /// </summary>
    internal static (int AdderBits, int RegisterBits) Tree(HardwareConfig cfg)
    {
        bool ternary = cfg.Pe == PeKind.Ternary;
        int width = ternary ? cfg.ActBits : cfg.PeTermBits;
        int nodes = cfg.Lanes;
        int NodeBits(int w) => w + (ternary ? 1 : 0);
        int adderBits = 0, registerBits = nodes * NodeBits(width) + 1;
        for (int k = 1; k <= cfg.TreeLevels; k++)
        {
            width = Math.Min(width + 1, cfg.PeOutBits);
            adderBits += nodes / 2 * width;
            nodes = (nodes + 1) / 2;
            if (k % cfg.PipeEvery == 0 || k == cfg.TreeLevels) registerBits += nodes * NodeBits(width) + 1;
        }
        return (adderBits, registerBits);
    }
}
