using Bit1HW.Core;

namespace Bit1HW.Model.Gguf;

/// <summary>
/// The ggml tensor types this project reads and writes, with their ggml type ids. TQ1_0 (34) and
/// TQ2_0 (35) are upstream llama.cpp's ternary types; I2_S (36) is the id bitnet.cpp's ggml fork
/// gives its 2-bit ternary type (docs/model.md, "Tensor types").
/// </summary>
internal enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
    BF16 = 30,
    TQ1_0 = 34,
    TQ2_0 = 35,
    I2_S = 36,
}

internal static class GgmlTypes
{
    /// <summary>Weights per TQ1_0 / TQ2_0 block (ggml's QK_K).</summary>
    public const int SuperBlock = 256;
    public const int Tq2BlockBytes = 66;   // 64 bytes of 2-bit codes + fp16 scale
    public const int Tq1BlockBytes = 54;   // 48 bytes of 5 trits + 4 bytes of 4 trits + fp16 scale
    /// <summary>
    /// I2_S element counts must split into whole 64-weight groups (bitnet.cpp's ARM QK_I2_S; its x86
    /// build needs 128, checked when the codes are decoded in that layout).
    /// </summary>
    public const int I2sGroup = 64;
    /// <summary>Bytes after the I2_S codes: one float32 scale padded to 32 bytes.</summary>
    public const int I2sTrailerBytes = 32;

    public static bool IsKnown(uint id) => Enum.IsDefined(typeof(GgmlType), id);

    public static bool IsTernary(GgmlType t) => t is GgmlType.TQ1_0 or GgmlType.TQ2_0 or GgmlType.I2_S;

    public static string Name(GgmlType t) => t switch
    {
        GgmlType.F32 => "F32",
        GgmlType.F16 => "F16",
        GgmlType.BF16 => "BF16",
        GgmlType.TQ1_0 => "TQ1_0",
        GgmlType.TQ2_0 => "TQ2_0",
        GgmlType.I2_S => "I2_S",
        _ => throw new System.Diagnostics.UnreachableException(t.ToString()),
    };

    /// <summary>
    /// Bytes of a tensor of <paramref name="type"/> with innermost dimension <paramref name="rowLength"/>
    /// and <paramref name="count"/> elements in total. Throws a <see cref="UserInputException"/>
    /// naming <paramref name="tensor"/> when the row does not divide into whole blocks.
    /// </summary>
    public static long ByteSize(GgmlType type, long rowLength, long count, string tensor)
    {
        switch (type)
        {
            case GgmlType.F32: return checked(count * 4);
            case GgmlType.F16:
            case GgmlType.BF16: return checked(count * 2);
            case GgmlType.TQ1_0:
            case GgmlType.TQ2_0:
                if (rowLength % SuperBlock != 0)
                    throw new UserInputException($"tensor '{tensor}'",
                        $"row length {rowLength} is not a multiple of the {Name(type)} block size {SuperBlock}");
                return checked(count / SuperBlock * (type == GgmlType.TQ1_0 ? Tq1BlockBytes : Tq2BlockBytes));
            case GgmlType.I2_S:
                if (count % I2sGroup != 0)
                    throw new UserInputException($"tensor '{tensor}'",
                        $"{count} elements is not a multiple of the I2_S group size {I2sGroup}");
                return checked(count / 4 + I2sTrailerBytes);
            default:
                throw new System.Diagnostics.UnreachableException(type.ToString());
        }
    }
}
