namespace Bit1HW.Model.Formats;

/// <summary>IEEE half and bfloat16 bit patterns to and from float32. Widening is exact.</summary>
internal static class Float16
{
    public static float HalfToSingle(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    /// <summary>Round to nearest even, as every fp32→fp16 conversion in ggml does.</summary>
    public static ushort SingleToHalf(float v) => BitConverter.HalfToUInt16Bits((Half)v);

    public static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>Round to nearest even (NaN stays NaN), as torch's float→bfloat16.</summary>
    public static ushort SingleToBFloat16(float v)
    {
        uint u = BitConverter.SingleToUInt32Bits(v);
        if (float.IsNaN(v)) return (ushort)((u >> 16) | 0x40);
        uint rounding = 0x7FFF + ((u >> 16) & 1);
        return (ushort)((u + rounding) >> 16);
    }
}
