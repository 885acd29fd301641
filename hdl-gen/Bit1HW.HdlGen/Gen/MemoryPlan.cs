using Bit1HW.Core.Hardware;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// Where one memory's word lives: its low <see cref="SpramBits"/> in SB_SPRAM256KA instances (16 bits
/// each, side by side), the rest in an inferred RAM that synthesis maps to block RAM.
/// </summary>
public sealed record MemoryPlacement(string Memory, int Words, int WordBits, int Sprams)
{
    public int SpramBits => Math.Min(WordBits, MemoryPlan.SpramWordBits * Sprams);
    public int BlockRamBits => WordBits - SpramBits;
    /// <summary>SB_RAM40_4K the inferred part needs on iCE40 (<see cref="MemoryPlan.Ice40BlockRams"/>).</summary>
    public int Ice40BlockRams => MemoryPlan.Ice40BlockRams(Words, BlockRamBits);
}

/// <summary>
/// Which memory words go into the iCE40 UP5K's four SPRAMs (SB_SPRAM256KA: 16384 words × 16 bits,
/// one port). A memory's word is read whole in one cycle, so what limits the UP5K is the width of
/// the words, not their depth: a block RAM (SB_RAM40_4K) is at most 16 bits wide (256 × 16; 512 × 8,
/// 1024 × 4, 2048 × 2 when deeper) and an SPRAM is 16 bits wide, so each SPRAM replaces 16 bits of one
/// memory's word. SPRAMs are used only while the memories need more than the part's 30 block RAMs:
/// an SPRAM costs an address multiplexer, and the four sit in the corners of the die, so their
/// address and data nets are long. Each SPRAM in turn takes the 16-bit slice that saves the most block
/// RAMs (ties: imem, then wmem, then amem), and none is used where it saves nothing. omem is never a candidate: OUT
/// writes it while the host reads it (docs/hardware.md, "Read during write"), which needs two ports.
/// imem, wmem and amem can share one port: the host writes them only while the engine is idle and
/// the engine reads them only while it is busy, so one address multiplexer (write address while
/// writing, else read address) serves both. The generic target uses no SPRAM.
/// </summary>
public static class MemoryPlan
{
    public const int SpramCount = 4, SpramWords = 16384, SpramWordBits = 16, BlockRamCount = 30;

    public static IReadOnlyList<MemoryPlacement> For(HardwareConfig cfg, RtlTarget target)
    {
        var plan = new List<MemoryPlacement>
        {
            new("imem", cfg.InstrDepth, 32, 0),
            new("wmem", cfg.WeightDepth, cfg.WeightWordBits, 0),
            new("amem", cfg.ActDepth, cfg.ActWordBits, 0),
            new("omem", cfg.OutDepth, cfg.OutWordBits, 0),
        };
        if (target != RtlTarget.Ice40Up5k) return plan;
        for (int s = 0; s < SpramCount && plan.Sum(p => p.Ice40BlockRams) > BlockRamCount; s++)
        {
            int best = -1, bestSaving = 0;
            for (int i = 0; i < 3; i++)
            {
                MemoryPlacement p = plan[i];
                if (p.Words > SpramWords || p.BlockRamBits == 0) continue;
                int saving = p.Ice40BlockRams - Ice40BlockRams(p.Words, Math.Max(0, p.BlockRamBits - SpramWordBits));
                if (saving > bestSaving) (best, bestSaving) = (i, saving);
            }
            if (best < 0) break;
            plan[best] = plan[best] with { Sprams = plan[best].Sprams + 1 };
        }
        return plan;
    }

    public static MemoryPlacement Of(HardwareConfig cfg, RtlTarget target, string memory) =>
        For(cfg, target).Single(p => p.Memory == memory);

    /// <summary>
    /// SB_RAM40_4K (4096 bits) for <paramref name="words"/> × <paramref name="bits"/>, as yosys maps
    /// a simple dual-port RAM: the widest mode that holds the depth (256 × 16, 512 × 8, 1024 × 4,
    /// 2048 × 2), side by side for the width, stacked for depths beyond 2048.
    /// </summary>
    public static int Ice40BlockRams(int words, int bits)
    {
        if (bits <= 0) return 0;
        int width = words <= 256 ? 16 : words <= 512 ? 8 : words <= 1024 ? 4 : 2;
        int stacked = Math.Max(1, (words + 2047) / 2048);
        return checked((bits + width - 1) / width * stacked);
    }
}
