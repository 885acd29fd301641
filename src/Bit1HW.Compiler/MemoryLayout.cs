using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Compiler;

/// <summary>
/// Tiling and memory layout of a layer (docs/hardware.md, "Memories and word layouts"). Output rows
/// are cut into <see cref="RowBlocks"/> blocks of <c>rows</c>, the reduction into
/// <see cref="KTiles"/> tiles of <c>lanes</c>; the tails are padded with zero weights and zero
/// activations, which add nothing. Word addresses:
/// wmem[b · KTiles + k] = weights of row block b, K tile k;
/// amem[t · KTiles + k] = activations of token t, K tile k;
/// omem[t · RowBlocks + b] = outputs of token t, row block b (row r = output b · rows + r).
/// </summary>
public sealed record MemoryLayout(int RowBlocks, int KTiles, int Tokens)
{
    public int WeightWords => RowBlocks * KTiles;
    public int ActWords => Tokens * KTiles;
    public int OutWords => Tokens * RowBlocks;
    public int WeightWord(int block, int ktile) => block * KTiles + ktile;
    public int ActWord(int token, int ktile) => token * KTiles + ktile;
    public int OutWord(int token, int block) => token * RowBlocks + block;

    public static MemoryLayout For(Workload w, HardwareConfig c)
    {
        if (w.InFeatures > c.MaxK)
            throw new UserInputException("layer", $"inFeatures {w.InFeatures} exceeds the config's maxK {c.MaxK} (the accumulator is sized for maxK)");
        var layout = new MemoryLayout(
            (w.OutFeatures + c.Rows - 1) / c.Rows, (w.InFeatures + c.Lanes - 1) / c.Lanes, w.Tokens);
        // A streaming engine's wmem is a ring the weights flow through: any number of them fit.
        if (!c.IsStreaming)
            Fits("weight memory", (long)layout.RowBlocks * layout.KTiles, c.WeightDepth, "weightDepth",
                $"{layout.RowBlocks} row blocks × {layout.KTiles} K tiles");
        Fits("activation memory", (long)w.Tokens * layout.KTiles, c.ActDepth, "actDepth",
            $"{w.Tokens} tokens × {layout.KTiles} K tiles");
        Fits("output memory", (long)w.Tokens * layout.RowBlocks, c.OutDepth, "outDepth",
            $"{w.Tokens} tokens × {layout.RowBlocks} row blocks");
        return layout;
    }

    private static void Fits(string memory, long needed, int depth, string field, string why)
    {
        if (needed > depth)
            throw new UserInputException("layer", $"the workload needs {needed} {memory} words ({why}) but the config's {field} is {depth}");
    }

    public MemoryImage PackWeights(Layer layer, HardwareConfig c)
    {
        var m = new MemoryImage(c.WeightWordBits, c.WeightDepth, WeightWords);
        int outF = layer.Shape.OutFeatures, inF = layer.Shape.InFeatures;
        // Ternary codes of four lanes share a byte, and with lanes a multiple of 4 a row starts on a byte;
        // the code of -1, 0, +1 (validated) is its two's-complement low two bits, as TernaryCode encodes it.
        bool bytewise = c.Pe == PeKind.Ternary && c.Lanes % 4 == 0;
        Span<byte> bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(m.Limbs.AsSpan());
        for (int b = 0; b < RowBlocks; b++)
        for (int k = 0; k < KTiles; k++)
        for (int r = 0; r < c.Rows; r++)
        {
            int o = b * c.Rows + r;
            if (o >= outF) break;
            int lanes = Math.Min(c.Lanes, inF - k * c.Lanes);
            ReadOnlySpan<sbyte> row = layer.Weights.AsSpan().Slice((int)((long)o * inF + k * c.Lanes), lanes);
            if (bytewise)
            {
                Span<byte> dst = bytes.Slice(WeightWord(b, k) * m.LimbsPerWord * 4 + r * c.Lanes / 4);
                for (int j = 0; j < lanes; j++) dst[j >> 2] |= (byte)((row[j] & 3) << (2 * (j & 3)));
                continue;
            }
            for (int j = 0; j < lanes; j++)
            {
                uint code = c.Pe == PeKind.Ternary ? TernaryCode.Encode(row[j]) : (byte)row[j];
                m.SetBits(WeightWord(b, k), (r * c.Lanes + j) * c.WeightBits, c.WeightBits, code);
            }
        }
        return m;
    }

    public MemoryImage PackActivations(Layer layer, HardwareConfig c) => PackActivations(layer.Activations, layer.Shape.InFeatures, c);

    /// <summary>
    /// The activation memory for activations [Tokens, <paramref name="inFeatures"/>] (row-major,
    /// already in the config's range): amem[t · KTiles + k] lane j = x[t, k · lanes + j], zero
    /// beyond inFeatures. With 8-bit activations and lanes a multiple of 4 every word is whole limbs
    /// of bytes, so a token's row is one copy.
    /// </summary>
    public MemoryImage PackActivations(ReadOnlySpan<sbyte> activations, int inFeatures, HardwareConfig c)
    {
        var m = new MemoryImage(c.ActWordBits, c.ActDepth, ActWords);
        if (c.ActBits == 8 && c.Lanes % 4 == 0)
        {
            Span<sbyte> bytes = System.Runtime.InteropServices.MemoryMarshal.Cast<uint, sbyte>(m.Limbs.AsSpan());
            for (int t = 0; t < Tokens; t++)
                activations.Slice(t * inFeatures, inFeatures).CopyTo(bytes[(ActWord(t, 0) * c.Lanes)..]);
            return m;
        }
        for (int t = 0; t < Tokens; t++)
        for (int i = 0; i < inFeatures; i++)
            m.SetBits(ActWord(t, i / c.Lanes), (i % c.Lanes) * c.ActBits, c.ActBits, (uint)activations[t * inFeatures + i]);
        return m;
    }
}
