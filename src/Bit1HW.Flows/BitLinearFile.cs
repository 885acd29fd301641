using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.IO;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Flows;

/// <summary>What <see cref="BitLinearFile.Run"/> computed: the shapes, the weight scale and the SQNR against float64.</summary>
public sealed record BitLinearFileResult(int Tokens, int OutFeatures, int InFeatures, int ActBits, WeightScaleMethod Method,
    float WeightScale, double SqnrDecibels);

/// <summary>
/// The reference BitLinear from a layer file to a result file (<c>bit1hw bitlinear</c>): reads F32
/// <c>weight</c> [out, in] and <c>input</c> [tokens, in], quantizes both (docs/numerics.md), runs
/// the exact integer GEMM and dequantizes, and writes every intermediate: output, acc, input_q,
/// input_scale, weight_q, weight_scale. The SQNR compares the output with the float64 layer.
/// </summary>
public static class BitLinearFile
{
    public static BitLinearFileResult Run(string inPath, string outPath, int actBits, WeightScaleMethod method)
    {
        BitNetQuant.RequireActBits(actBits);
        SafeTensorsFile file = SafeTensorsFile.Read(inPath);
        var (w, outF, k) = LayerFiles.ReadMatrix(file, "weight", "out", "in");
        var (x, tokens, kx) = LayerFiles.ReadMatrix(file, "input", "tokens", "in");
        if (kx != k)
            throw new UserInputException($"{inPath}: tensor 'input'",
                $"has {kx} columns but 'weight' [{outF}, {k}] needs {k} (input is [tokens, in])");
        if (k > BitLinear.MaxK(actBits))
            throw new UserInputException($"{inPath}: tensor 'weight'",
                $"K = {k} exceeds {BitLinear.MaxK(actBits)}, the largest K whose {actBits}-bit dot products fit int32 exactly");

        TernaryMatrix wq = TernaryMatrix.Quantize(w, outF, k, method, "weight");
        QuantizedActivations xq = QuantizedActivations.Quantize(x, tokens, k, actBits);
        var (acc, y) = BitLinear.Forward(wq, xq);
        double sqnr = FloatReference.SqnrDecibels(FloatReference.Gemm(w, x, outF, k, tokens), y);

        var result = new SafeTensorsFile()
            .Add(SafeTensor.FromSingles("output", [tokens, outF], y))
            .Add(SafeTensor.FromInt32s("acc", [tokens, outF], acc))
            .Add(SafeTensor.FromSBytes("input_q", [tokens, k], xq.Data))
            .Add(SafeTensor.FromSingles("input_scale", [tokens], xq.Scales))
            .Add(SafeTensor.FromSBytes("weight_q", [outF, k], wq.ToValues()))
            .Add(SafeTensor.FromSingles("weight_scale", [1], [wq.Scale]));
        result.Metadata["act_bits"] = actBits.ToString(CultureInfo.InvariantCulture);
        result.Metadata["method"] = LayerFiles.MethodName(method);
        result.Write(outPath);
        return new BitLinearFileResult(tokens, outF, k, actBits, method, wq.Scale, sqnr);
    }
}
