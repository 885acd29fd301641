using System.Diagnostics;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Resources;

/// <summary>One memory of the engine and the cells it becomes on a target.</summary>
public sealed record MappedMemory(string Memory, int Words, int WordBits, int BlockRams, int Sprams, int LutRamLuts);

/// <summary>Wrong memory rules planted by the tests, to show the exactness check catches them.</summary>
internal enum MemoryRuleFault { None, Ice40CapacityOnly, Xc7AlwaysBlockRam }

/// <summary>
/// Where each memory goes, by the rules the generator and yosys 0.23 follow, so block RAM and SPRAM
/// are counted exactly, not fitted (docs/resource-model.md, "Memories").
/// iCE40 UP5K: the generator's <see cref="MemoryPlan"/> (SPRAM slices while the block RAMs run out)
/// and its SB_RAM40_4K rule for the rest.
/// 7-series: yosys's <c>memory_libmap</c> picks the cheapest of the cells its library offers for
/// a simple dual-port RAM (lutrams_xc5v.txt, brams_xc4v.txt): LUT-RAM in simple dual-port mode
/// (RAM32M, 32 words × 6 bits, or RAM64M, 64 × 3, cost 8 each; deeper memories replicate them per
/// 64 words) against RAMB18 (512 × 36 at most, cost 129) or RAMB36 (512 × 72, cost 257), where
/// the block RAM's width is the widest mode that holds the depth. RAMB18 units are reported
/// (a RAMB36 is two). LUT-RAM holds only the bits that are read (yosys drops imem's unread operand
/// bits first); block RAM is mapped on the whole word and the cells that drive nothing are removed
/// (<see cref="Xc7"/>, and the same on iCE40: <see cref="Ice40BlockRams"/>).
/// </summary>
public static class MemoryMapping
{
    private const int LutRamCost = 8, Ramb18Cost = 129, Ramb36Cost = 257;

    public static IReadOnlyList<MappedMemory> For(HardwareConfig cfg, SynthTarget target, RtlVariant variant) =>
        For(cfg, target, variant, MemoryRuleFault.None);

    internal static IReadOnlyList<MappedMemory> For(HardwareConfig cfg, SynthTarget target, RtlVariant variant, MemoryRuleFault fault) => target switch
    {
        SynthTarget.Ice40Up5k => MemoryPlan.For(cfg, variant.Target)
            .Select(p => new MappedMemory(p.Memory, p.Words, p.WordBits, fault == MemoryRuleFault.Ice40CapacityOnly
                ? (int)(((long)p.Words * p.BlockRamBits + 4095) / 4096) : Ice40BlockRams(cfg, p), p.Sprams, 0)).ToList(),
        SynthTarget.Xc7 => Placements(cfg).Select(p => Xc7(cfg, p.Memory, p.Words, p.WordBits, fault)).ToList(),
        _ => throw new UnreachableException(),
    };

    /// <summary>
    /// SB_RAM40_4K of one memory's block-RAM bits: <see cref="MemoryPlan.Ice40BlockRams"/>'s columns (the
    /// widest mode that holds the depth, stacked beyond 2048 words), less the columns none of whose
    /// bits is read. yosys maps the whole word and then removes a cell whose outputs drive nothing:
    /// in imem the controller reads only the opcode (bits 28..31) and the low
    /// max(RepeatBits, OperandKeptBits) operand bits, so a 1024-word imem keeps 4 of its 8 columns.
    /// </summary>
    internal static int Ice40BlockRams(HardwareConfig cfg, MemoryPlacement p)
    {
        if (p.BlockRamBits == 0) return 0;
        int width = p.Words <= 256 ? 16 : p.Words <= 512 ? 8 : p.Words <= 1024 ? 4 : 2;
        int stacked = Math.Max(1, (p.Words + 2047) / 2048);
        int columns = 0;
        for (int lo = p.SpramBits; lo < p.WordBits; lo += width)
            if (AnyRead(cfg, p.Memory, lo, Math.Min(p.WordBits, lo + width))) columns++;
        return checked(columns * stacked);
    }

    /// <summary>Whether any of word bits [lo, hi) of a memory is read.</summary>
    internal static bool AnyRead(HardwareConfig cfg, string memory, int lo, int hi) => ReadBits(cfg, memory, lo, hi) > 0;

    /// <summary>How many of word bits [lo, hi) of a memory are read: all, except imem's unused operand bits.</summary>
    internal static int ReadBits(HardwareConfig cfg, string memory, int lo, int hi)
    {
        if (memory != "imem") return Math.Max(0, hi - lo);
        int operand = Math.Max(cfg.RepeatBits, Math.Max(Math.Max(cfg.WeightAddrBits, cfg.ActAddrBits), cfg.OutAddrBits));
        int Overlap(int a, int b) => Math.Max(0, Math.Min(b, hi) - Math.Max(a, lo));
        return Overlap(0, operand) + Overlap(Isa.OperandBits, 32);
    }

    /// <summary>The generic target's memories; a streaming engine's wmem is its ring: weightDepth / W lines
    /// of W weight words (docs/hardware.md, "The stream engine").</summary>
    private static IReadOnlyList<MemoryPlacement> Placements(HardwareConfig cfg) => cfg.IsStreaming
        ? MemoryPlan.For(cfg, RtlTarget.Generic).Select(p => p.Memory != "wmem" ? p
            : p with { Words = cfg.WeightDepth / ResourceFeatures.WordsPerBeat(cfg), WordBits = ResourceFeatures.RingLineBits(cfg) }).ToList()
        : MemoryPlan.For(cfg, RtlTarget.Generic);

    /// <summary>
    /// One 7-series memory: LUT-RAM or block RAM, whichever memory_libmap finds cheaper for the whole
    /// word. Then yosys removes what nothing reads: a LUT-RAM holds only the bits that are read (imem's
    /// unread operand bits go), and the board wrapper reads omem at address 0 only, so of a LUT-RAM
    /// replicated per 64 words only the first copy stays; a block RAM column none of whose bits is
    /// read is removed, as on iCE40.
    /// </summary>
    internal static MappedMemory Xc7(HardwareConfig cfg, string memory, int words, int wordBits, MemoryRuleFault fault = MemoryRuleFault.None)
    {
        var (cost18, width18, stacked18) = Column(words, wordBits, 512);
        var (cost36, width36, stacked36) = Column(words, wordBits, 1024);
        if (LutRamCells(words, wordBits, copies: null) * LutRamCost <= Math.Min(cost18, cost36) && fault != MemoryRuleFault.Xc7AlwaysBlockRam)
        {
            int? copies = memory == "omem" && !cfg.IsStreaming ? 1 : null;
            return new MappedMemory(memory, words, wordBits, 0, 0, 4 * LutRamCells(words, ReadBits(cfg, memory, 0, wordBits), copies));
        }
        bool ramb18 = cost18 <= cost36;
        var (width, stacked, units) = ramb18 ? (width18, stacked18, 1) : (width36, stacked36, 2);
        int columns = 0;
        for (int lo = 0; lo < wordBits; lo += width)
            if (AnyRead(cfg, memory, lo, Math.Min(wordBits, lo + width))) columns++;
        return new MappedMemory(memory, words, wordBits, checked(columns * stacked * units), 0, 0);
    }

    /// <summary>Simple dual-port LUT-RAM cells (4 LUTs each, cost 8): 6 bits per RAM32M up to 32 words,
    /// 3 per RAM64M up to 64, one copy per 64 words beyond (or <paramref name="copies"/>).</summary>
    private static int LutRamCells(int words, int bits, int? copies)
    {
        int perCell = words <= 32 ? 6 : 3;
        return checked((bits + perCell - 1) / perCell * (copies ?? Math.Max(1, (words + 63) / 64)));
    }

    /// <summary>
    /// A block RAM column layout at the widest mode that holds the depth: RAMB18 (<paramref name="depth36"/>
    /// = 512: 512 × 36, 1K × 18, 2K × 9, 4K × 4, 8K × 2, 16K × 1) or RAMB36 (1024: 512 × 72, 1K × 36, …),
    /// stacked for deeper memories. Returns the cost of the whole word, the column width and the stack.
    /// </summary>
    private static (double Cost, int Width, int Stacked) Column(int words, int bits, int depth36)
    {
        int width = words <= depth36 / 2 ? 72 : words <= depth36 ? 36 : words <= 2 * depth36 ? 18 : words <= 4 * depth36 ? 9
            : words <= 8 * depth36 ? 4 : words <= 16 * depth36 ? 2 : 1;
        if (width == 72 && depth36 == 512) width = 36;   // a RAMB18 is at most 36 bits wide
        int stacked = Math.Max(1, (words + 32 * depth36 - 1) / (32 * depth36));
        int cells = checked((bits + width - 1) / width * stacked);
        return ((double)(depth36 == 512 ? Ramb18Cost : Ramb36Cost) * cells, width, stacked);
    }
}
