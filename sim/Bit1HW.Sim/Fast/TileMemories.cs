using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim.Fast;

/// <summary>
/// wmem in the fast path's <see cref="TileLayout"/>, written from the host's word bits, and the
/// zero weights of a block of words (the termsZeroWeight counter): for ternary words counted from
/// the codes themselves (a weight is 0 when bit 0 of its code is clear; padding is code 00), for
/// INT8 words kept per word. A store can be prepared once and
/// shared read-only by many engines (<see cref="FastEngine.UseWeights"/>); an engine copies it
/// before its first host write.
/// </summary>
internal sealed class WeightStore
{
    private readonly TileLayout _layout;
    private readonly int _weightBits;

    public WeightStore(HardwareConfig config, TileLayout layout) : this(config, layout, config.WeightDepth) { }

    /// <summary>A store of <paramref name="depth"/> words (a streaming run's whole stream, which the ring only ever holds part of).</summary>
    public WeightStore(HardwareConfig config, TileLayout layout, int depth)
    {
        _layout = layout;
        _weightBits = config.WeightBits;
        Depth = depth;
        Data = new byte[(long)Depth * layout.WeightBytes];
        if (!layout.Ternary)
        {
            _zeros = new int[Depth];
            Array.Fill(_zeros, layout.Rows * layout.Lanes);
        }
    }

    private WeightStore(WeightStore from)
    {
        _layout = from._layout;
        _weightBits = from._weightBits;
        Depth = from.Depth;
        Data = (byte[])from.Data.Clone();
        _zeros = (int[]?)from._zeros?.Clone();
    }

    private readonly int[]? _zeros;   // INT8 words only

    public int Depth { get; }
    public byte[] Data { get; }

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
        if (_zeros is not null)
        {
            int zeros = 0;
            for (int r = 0; r < rows; r++)
                foreach (byte weight in dst.Slice(r * jp, lanes)) if (weight == 0) zeros++;
            _zeros[word] = zeros;
        }
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
        if (_zeros is not null)
        {
            foreach (int z in _zeros.AsSpan(start, count)) zeros += z;
            return zeros;
        }
        long nonzero = 0;
        foreach (ulong codes in MemoryMarshal.Cast<byte, ulong>(Data.AsSpan(start * _layout.WeightBytes, count * _layout.WeightBytes)))
            nonzero += BitOperations.PopCount(codes & 0x5555_5555_5555_5555UL);
        return (long)count * _layout.Rows * _layout.Lanes - nonzero;
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
        int lanes = _layout.Lanes, jp = _layout.PaddedLanes;
        Span<sbyte> first = dst[..jp];
        if (_actBits == 8 && lanes == 16)
        {
            // The default shape: one 16-byte load, repeated four times by one 64-byte store.
            Vector128<sbyte> a = Vector128.Create(MemoryMarshal.Cast<uint, sbyte>(limbs)[..16]);
            Vector512.Create(Vector256.Create(a, a), Vector256.Create(a, a)).CopyTo(dst);
            Sums[word] = Sum(first);
            return;
        }
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
        for (int filled = jp; filled < dst.Length; filled *= 2) dst[..filled].CopyTo(dst[filled..]);   // Jp divides 64
        Sums[word] = Sum(first);
    }

    private static int Sum(ReadOnlySpan<sbyte> values)
    {
        int sum = 0, j = 0;
        for (; j + 16 <= values.Length; j += 16)
        {
            var (lo, hi) = Vector128.Widen(Vector128.Create(values.Slice(j, 16)));
            sum += Vector128.Sum(lo + hi);
        }
        for (; j < values.Length; j++) sum += values[j];
        return sum;
    }
}
