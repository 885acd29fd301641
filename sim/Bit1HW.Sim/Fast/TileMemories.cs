using System.Runtime.InteropServices;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim.Fast;

/// <summary>
/// wmem in the fast path's <see cref="TileLayout"/>, written from the host's word bits, with the
/// zero weights of every word (the termsZeroWeight counter). A store can be prepared once and
/// shared read-only by many engines (<see cref="FastEngine.UseWeights"/>); an engine copies it
/// before its first host write.
/// </summary>
internal sealed class WeightStore
{
    private readonly TileLayout _layout;
    private readonly int _weightBits;

    public WeightStore(HardwareConfig config, TileLayout layout)
    {
        _layout = layout;
        _weightBits = config.WeightBits;
        Depth = config.WeightDepth;
        Data = new byte[(long)Depth * layout.WeightBytes];
        Zeros = new int[Depth];
        Array.Fill(Zeros, layout.Rows * layout.Lanes);
    }

    private WeightStore(WeightStore from)
    {
        _layout = from._layout;
        _weightBits = from._weightBits;
        Depth = from.Depth;
        Data = (byte[])from.Data.Clone();
        Zeros = (int[])from.Zeros.Clone();
    }

    public int Depth { get; }
    public byte[] Data { get; }
    public int[] Zeros { get; }

    public WeightStore Clone() => new(this);

    /// <summary>Word <paramref name="word"/> := the hardware word in <paramref name="limbs"/> (row r, lane j at bits (r·lanes + j)·WeightBits).</summary>
    public void Write(int word, ReadOnlySpan<uint> limbs)
    {
        Span<byte> dst = Data.AsSpan(word * _layout.WeightBytes, _layout.WeightBytes);
        ReadOnlySpan<byte> src = MemoryMarshal.AsBytes(limbs);
        int rows = _layout.Rows, lanes = _layout.Lanes, jp = _layout.PaddedLanes;
        dst.Clear();
        if (_layout.Ternary && jp == lanes)
        {
            // Rows are byte-aligned in both layouts (lanes is a multiple of 4): the same bytes.
            src[..(rows * lanes / 4)].CopyTo(dst);
        }
        else
        {
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < lanes; j++)
                {
                    uint v = Field(src, (r * lanes + j) * _weightBits, _weightBits);
                    int k = r * jp + j;
                    if (_layout.Ternary) dst[k >> 2] |= (byte)(v << (2 * (k & 3)));
                    else dst[k] = (byte)v;
                }
        }
        Zeros[word] = CountZeros(src);
    }

    /// <summary>Ternary: codes 00 and 10 (bit 0 clear) are weight 0; INT8: zero bytes.</summary>
    private int CountZeros(ReadOnlySpan<byte> word)
    {
        int n = _layout.Rows * _layout.Lanes, zeros = 0;
        for (int i = 0; i < n; i++)
            if ((Field(word, i * _weightBits, _weightBits) & (_layout.Ternary ? 1u : 0xFFu)) == 0) zeros++;
        return zeros;
    }

    private static uint Field(ReadOnlySpan<byte> bytes, int offset, int width)
    {
        int b = offset >> 3, shift = offset & 7;
        uint window = bytes[b];
        if (shift + width > 8) window |= (uint)bytes[b + 1] << 8;
        return (window >> shift) & ((1u << width) - 1);
    }

    /// <summary>Zero weights of the words [start, start + count) (no wrap).</summary>
    public long ZerosIn(int start, int count)
    {
        long zeros = 0;
        foreach (int z in Zeros.AsSpan(start, count)) zeros += z;
        return zeros;
    }
}

/// <summary>amem in the fast path's <see cref="TileLayout"/> (signed bytes, repeated to 64), with each word's activation sum.</summary>
internal sealed class ActStore
{
    private readonly TileLayout _layout;
    private readonly int _actBits;

    public ActStore(HardwareConfig config, TileLayout layout)
    {
        _layout = layout;
        _actBits = config.ActBits;
        Data = new sbyte[(long)config.ActDepth * layout.ActBytes];
        Sums = new int[config.ActDepth];
    }

    public sbyte[] Data { get; }
    /// <summary>Σ of the word's activations (the ternary kernel's offset correction).</summary>
    public int[] Sums { get; }

    /// <summary>Word <paramref name="word"/> := the hardware word in <paramref name="limbs"/> (lane j at bits j·actBits, two's complement).</summary>
    public void Write(int word, ReadOnlySpan<uint> limbs)
    {
        Span<sbyte> dst = Data.AsSpan(word * _layout.ActBytes, _layout.ActBytes);
        int lanes = _layout.Lanes;
        Span<sbyte> first = dst[.._layout.PaddedLanes];
        first.Clear();
        if (_actBits == 8) MemoryMarshal.Cast<uint, sbyte>(limbs)[..lanes].CopyTo(first);
        else
        {
            ReadOnlySpan<byte> src = MemoryMarshal.AsBytes(limbs);
            int shift = 32 - _actBits;
            for (int j = 0; j < lanes; j++)
            {
                int offset = j * _actBits, b = offset >> 3;
                uint window = src[b] | (b + 1 < src.Length ? (uint)src[b + 1] << 8 : 0);
                first[j] = (sbyte)((int)((window >> (offset & 7)) << shift) >> shift);
            }
        }
        for (int at = _layout.PaddedLanes; at < dst.Length; at += _layout.PaddedLanes) first.CopyTo(dst[at..]);
        int sum = 0;
        foreach (sbyte a in first) sum += a;
        Sums[word] = sum;
    }
}
