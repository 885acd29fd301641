using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim;

public sealed partial class Engine
{
    /// <summary>
    /// host_we: writes host_wdata into imem (sel 0, bits [31:0]), wmem (sel 1) or amem (sel 2) at
    /// host_addr modulo the memory depth; sel 3 is ignored. Words are decoded here (see class comment):
    /// a ternary 2-bit code 10 decodes as 0, as the spec requires of the hardware.
    /// </summary>
    private void HostWrite(in TopInputs input)
    {
        if (!input.HostWe) return;
        uint[] data = input.HostWData ?? throw new ArgumentException("host_we = 1 needs HostWData", nameof(input));
        switch (input.HostSel)
        {
            case 0:
                _imem[input.HostAddr & (uint)(_c.InstrDepth - 1)] = data[0];
                Activity.HostWrite(0, 32);
                break;
            case 1:
                WriteWeightWord((int)(input.HostAddr & (uint)(_c.WeightDepth - 1)), data);
                Activity.HostWrite(1, _c.WeightWordBits);
                break;
            case 2:
                WriteActWord((int)(input.HostAddr & (uint)(_c.ActDepth - 1)), data);
                Activity.HostWrite(2, _c.ActWordBits);
                break;
        }
    }

    private static int Field(uint[] limbs, int offset, int width)
    {
        int limb = offset >> 5;
        ulong window = limbs[limb];
        if (limb + 1 < limbs.Length) window |= (ulong)limbs[limb + 1] << 32;
        uint u = (uint)(window >> (offset & 31)) & ((1u << width) - 1);
        int shift = 32 - width;
        return ((int)(u << shift)) >> shift;   // two's complement of `width` bits
    }

    private void WriteWeightWord(int word, uint[] data)
    {
        int bits = _c.WeightBits, n = _rows * _lanes, zeros = 0;
        Span<short> dst = _wmem.AsSpan(word * n, n);
        for (int i = 0; i < n; i++)
        {
            int v = Field(data, i * bits, bits);
            // Ternary: 01 → +1, 11 → -1 (the 2-bit two's complement), 00 and the unused 10 → 0.
            if (_c.Pe == PeKind.Ternary && v == -2) v = 0;
            dst[i] = (short)v;
            if (v == 0) zeros++;
        }
        _wZeros[word] = zeros;
    }

    private void WriteActWord(int word, uint[] data)
    {
        Span<short> dst = _amem.AsSpan(word * _lanes, _lanes);
        for (int j = 0; j < _lanes; j++) dst[j] = (short)Field(data, j * _c.ActBits, _c.ActBits);
    }
}
