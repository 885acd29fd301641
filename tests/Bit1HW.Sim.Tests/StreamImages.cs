using System.Text;
using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim.Tests;

/// <summary>
/// Streaming program images written by hand from docs/hardware.md ("Weight streaming over AXI"),
/// independent of the compiler's streaming layout: the test's own stream encoders (2bit and base3)
/// and a plain schedule — SETS 0, LOAD all bursts, then per (token, row block) SETA, CLR, MAC KT,
/// NOP L + 1, OUT, and HALT. The stream is the weight words in consumption order, so each token
/// streams the whole matrix again.
/// </summary>
internal static class StreamImages
{
    public static HardwareConfig Config(int lanes, int rows, int axiDataBits, int burstBeats, int maxOutstanding,
        WeightPacking packing = WeightPacking.TwoBit, int weightDepth = 64, int pipeEvery = 1) => new HardwareConfig
    {
        Lanes = lanes, Rows = rows, PipeEvery = pipeEvery, WeightDepth = weightDepth, ActDepth = 256, OutDepth = 256,
        InstrDepth = 1024, MaxK = Math.Min(2048, 256 * lanes),
        Stream = new StreamConfig
        {
            AxiDataBits = axiDataBits, AxiAddrBits = 40, BurstBeats = burstBeats, MaxOutstanding = maxOutstanding, Packing = packing,
        },
    }.Validate();

    /// <summary>Where the tests put external memory, weight_base (a burst in) and the stream (SETS 3: three bursts past weight_base).</summary>
    public static ulong MemoryBase(HardwareConfig c) => 0x10_0000UL;
    public static ulong WeightBase(HardwareConfig c) => MemoryBase(c) + (ulong)c.Stream!.BurstBytes;
    public static ulong StreamAddress(HardwareConfig c) => WeightBase(c) + 3UL * (ulong)c.Stream!.BurstBytes;

    /// <summary>The weights of stream word n (rows · lanes values, row-major) for a layer: group g = (t, b) reads row block b's K tiles.</summary>
    public static List<sbyte[]> StreamWords(HardwareConfig c, Layer layer)
    {
        Workload s = layer.Shape;
        int rb = Ceil(s.OutFeatures, c.Rows), kt = Ceil(s.InFeatures, c.Lanes);
        var words = new List<sbyte[]>();
        for (int t = 0; t < s.Tokens; t++)
        for (int b = 0; b < rb; b++)
        for (int k = 0; k < kt; k++)
        {
            var word = new sbyte[c.Rows * c.Lanes];
            for (int r = 0; r < c.Rows; r++)
            for (int j = 0; j < c.Lanes; j++)
            {
                int o = b * c.Rows + r, i = k * c.Lanes + j;
                if (o < s.OutFeatures && i < s.InFeatures) word[r * c.Lanes + j] = layer.Weights[o * s.InFeatures + i];
            }
            words.Add(word);
        }
        return words;
    }

    /// <summary>The stream's bytes, padded with zero bytes to whole bursts (docs/hardware.md, "External memory image").</summary>
    public static byte[] Encode(HardwareConfig c, IReadOnlyList<sbyte[]> words)
    {
        int wordBits = c.StreamWordBits, burst = c.Stream!.BurstBytes;
        long bytes = ((long)words.Count * wordBits / 8 + burst - 1) / burst * burst;
        var stream = new byte[Math.Max(bytes, burst)];
        for (int n = 0; n < words.Count; n++)
        {
            long bit0 = (long)n * wordBits;
            if (c.Stream.Packing == WeightPacking.TwoBit)
                for (int i = 0; i < words[n].Length; i++)
                {
                    int code = words[n][i] switch { 0 => 0, 1 => 1, -1 => 3, _ => throw new ArgumentException("not ternary") };
                    long bit = bit0 + 2 * i;
                    stream[bit >> 3] |= (byte)(code << (int)(bit & 7));
                }
            else
                for (int k = 0; 5 * k < words[n].Length; k++) stream[(bit0 >> 3) + k] = Base3Byte(words[n], 5 * k);
        }
        return stream;
    }

    /// <summary>v = Σ_(m=0..4) (w_(i+m) + 1) · 3^(4−m), padding weights 0; q = ceil(256 · v / 243).</summary>
    public static byte Base3Byte(sbyte[] weights, int first)
    {
        int v = 0;
        for (int m = 0; m < 5; m++) v = 3 * v + (first + m < weights.Length ? weights[first + m] + 1 : 1);
        return (byte)((256 * v + 242) / 243);
    }

    public static int Ceil(int a, int b) => (a + b - 1) / b;

    /// <summary>The program of the class comment, in assembly.</summary>
    public static string Assembly(HardwareConfig c, Workload s, int bursts)
    {
        int rb = Ceil(s.OutFeatures, c.Rows), kt = Ceil(s.InFeatures, c.Lanes);
        var asm = new StringBuilder($"SETS 3\nLOAD {bursts}\n");
        for (int t = 0; t < s.Tokens; t++)
        for (int b = 0; b < rb; b++)
            asm.Append($"SETA {t * kt}\nCLR\nMAC {kt}\nNOP {c.PeLatencyCycles + 1}\nOUT {t * rb + b}\n");
        return asm.Append("HALT\n").ToString();
    }

    /// <summary>The layer as a streaming image: the stream at <see cref="WeightBase"/>, activations in amem, N_static predicted.</summary>
    public static ProgramImage Image(HardwareConfig c, Layer layer, Func<byte[], byte[]>? corrupt = null)
    {
        Workload s = layer.Shape;
        int rb = Ceil(s.OutFeatures, c.Rows), kt = Ceil(s.InFeatures, c.Lanes);
        byte[] stream = Encode(c, StreamWords(c, layer));
        int bursts = stream.Length / c.Stream!.BurstBytes;
        uint[] program = Assembler.Assemble(Assembly(c, s, bursts));
        var external = new byte[(int)(StreamAddress(c) - MemoryBase(c)) + stream.Length];
        stream.CopyTo(external, (int)(StreamAddress(c) - MemoryBase(c)));
        if (corrupt is not null) external = corrupt(external);
        var acts = new MemoryImage(c.ActWordBits, c.ActDepth, s.Tokens * kt);
        for (int t = 0; t < s.Tokens; t++)
        for (int i = 0; i < s.InFeatures; i++)
            acts.SetBits(t * kt + i / c.Lanes, i % c.Lanes * c.ActBits, c.ActBits, (uint)layer.Activations[t * s.InFeatures + i]);
        var word = new int[s.Tokens * s.OutFeatures];
        var row = new int[word.Length];
        for (int t = 0; t < s.Tokens; t++)
        for (int o = 0; o < s.OutFeatures; o++)
        {
            word[t * s.OutFeatures + o] = t * rb + o / c.Rows;
            row[t * s.OutFeatures + o] = o % c.Rows;
        }
        long predicted = c.FetchCycles + program.Sum(w => c.InstructionCycles(w));
        return new ProgramImage(c, program, new MemoryImage(c.WeightWordBits, c.WeightDepth, 0), acts, s, word, row, predicted,
            new ExternalMemory(MemoryBase(c), external), WeightBase(c));
    }
}
