using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// How a streaming engine's ring (wmem) is organized around the AXI beat (docs/hardware.md,
/// "Weight streaming over AXI"). A beat holds whole stream words or a stream word spans whole beats
/// (Core's validation guarantees one of the two, and both ratios are powers of two). The ring is
/// stored in <em>lines</em>: when a beat holds W ≥ 1 words, a line is the W decoded words of one
/// beat, written by that beat at once; when a word spans B &gt; 1 beats, a line is one word, written
/// on its last beat. Ring word k (k = tiles read since start, modulo weightDepth) is word k mod W of
/// line k / W. One counter of beats received since start addresses the writes: its low bits give
/// the beat's position in its burst (and in its word), the bits above the line.
/// </summary>
internal sealed record RingGeometry(HardwareConfig Config)
{
    private StreamConfig Stream => Config.Stream ?? throw new InvalidOperationException($"{Config.Tag} is not a streaming configuration");

    /// <summary>W: stream words per beat (1 when a word spans several beats).</summary>
    public int WordsPerBeat => Math.Max(1, Stream.AxiDataBits / Config.StreamWordBits);
    /// <summary>B: beats per stream word (1 when a beat holds whole words).</summary>
    public int BeatsPerWord => Math.Max(1, Config.StreamWordBits / Stream.AxiDataBits);
    public int Lines => Config.WeightDepth / WordsPerBeat;
    public int LineBits => checked(WordsPerBeat * Config.WeightWordBits);
    public int LineAddrBits => Widths.CeilLog2(Lines);
    /// <summary>log2 W: the low bits of the ring read pointer that select a word within a line.</summary>
    public int WordSelectBits => Widths.CeilLog2(WordsPerBeat);
    public int BeatInWordBits => Widths.CeilLog2(BeatsPerWord);
    public int BeatInBurstBits => Widths.CeilLog2(Stream.BurstBeats);
    /// <summary>Beats received since start, modulo the ring: the line bits above the beat-in-word bits.</summary>
    public int BeatCountBits => LineAddrBits + BeatInWordBits;
    /// <summary>Words received and not yet read, or free ring words: 0..weightDepth.</summary>
    public int WordCountBits => Config.WeightAddrBits + 1;
    public int WordsPerBurstBits => Widths.CeilLog2(Config.WordsPerBurst);
    /// <summary>Burst index width: the address bits above the (power-of-two) burst size; addresses wrap.</summary>
    public int BurstIndexBits => Stream.AxiAddrBits - Widths.CeilLog2(Stream.BurstBytes);
    public int BurstByteBits => Widths.CeilLog2(Stream.BurstBytes);
    /// <summary>Bits of a counter of 0..maxOutstanding.</summary>
    public int CreditBits => Widths.AddressBits(Stream.MaxOutstanding + 1L);
    /// <summary>The LOAD counter <c>pending</c>: 28 bits (docs/hardware.md, "Instructions").</summary>
    public const int PendingBits = Isa.OperandBits;
}
