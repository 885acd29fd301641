using Bit1HW.Core.IO;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Flows;

/// <summary>What <see cref="QuantizeFile.Run"/> wrote: the shape, the scale and how many weights became -1, 0 and +1.</summary>
public sealed record QuantizeFileResult(int Rows, int Cols, float Scale, long MinusOnes, long Zeros, long PlusOnes);

/// <summary>
/// Ternarizes one float weight tensor [out, in] of a safetensors file (<c>bit1hw quantize</c>) and
/// writes weight_q (I8 [out, in], values -1/0/+1), weight_scale (F32 [1], beta) and weight_packed
/// (U8 [out, ceil(in/4)], each row packed on its own with the 2-bit TernaryCode: 00 = 0, 01 = +1,
/// 11 = -1, weight k of a row in bits 2·(k mod 4)..+1 of byte k/4, last byte zero-padded).
/// </summary>
public static class QuantizeFile
{
    public static QuantizeFileResult Run(string inPath, string outPath, string tensor, WeightScaleMethod method)
    {
        SafeTensorsFile file = SafeTensorsFile.Read(inPath);
        var (w, rows, cols) = LayerFiles.ReadMatrix(file, tensor, "out", "in");
        TernaryMatrix q = TernaryMatrix.Quantize(w, rows, cols, method, tensor);
        sbyte[] values = q.ToValues();
        var result = new SafeTensorsFile()
            .Add(SafeTensor.FromSBytes("weight_q", [rows, cols], values))
            .Add(SafeTensor.FromSingles("weight_scale", [1], [q.Scale]))
            .Add(SafeTensor.FromBytes("weight_packed", [rows, q.RowStrideBytes], q.Packed));
        result.Metadata["method"] = LayerFiles.MethodName(method);
        result.Metadata["source_tensor"] = tensor;
        result.Metadata["weight_packed_encoding"] = "2-bit per weight, 00=0 01=+1 11=-1, weight k of a row in bits 2*(k%4) of byte k/4, rows padded to whole bytes";
        result.Write(outPath);
        var counts = new long[3];
        foreach (sbyte v in values) counts[v + 1]++;
        return new QuantizeFileResult(rows, cols, q.Scale, counts[0], counts[1], counts[2]);
    }
}
