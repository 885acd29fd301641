using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Flows;

/// <summary>
/// A float BitLinear layer quantized for the engine (docs/numerics.md), with what it takes to check
/// and dequantize the engine's result: the compiler's integer <see cref="Layer"/>, Core's ternary
/// weights and quantized activations (the software reference's inputs) and their scales.
/// </summary>
public sealed record HardwareLayer(Layer Layer, float[] ActScales, float WeightScale, TernaryMatrix Weights, QuantizedActivations Input)
{
    /// <summary>
    /// Reads F32 <c>weight</c> [out, in] and <c>input</c> [tokens, in] from a safetensors layer file
    /// (the format <c>bit1hw make-layer</c> writes) and quantizes them as <see cref="Quantize"/> does.
    /// A bad file, tensor or shape is a <see cref="UserInputException"/> naming it.
    /// </summary>
    public static HardwareLayer Load(string path, HardwareConfig config, WeightScaleMethod method)
    {
        SafeTensorsFile file = SafeTensorsFile.Read(path);
        var (w, outF, k) = LayerFiles.ReadMatrix(file, "weight", "out", "in");
        var (x, tokens, kx) = LayerFiles.ReadMatrix(file, "input", "tokens", "in");
        if (kx != k)
            throw new UserInputException($"{path}: tensor 'input'", $"has {kx} columns but 'weight' [{outF}, {k}] needs {k} (input is [tokens, in])");
        return Quantize(w, outF, x, tokens, k, config, method);
    }

    /// <summary>
    /// Quantizes float weights [outFeatures, inFeatures] and inputs [tokens, inFeatures] (row-major)
    /// exactly as <c>bit1hw bitlinear</c> does, with the configuration's actBits. A <c>pe = mac</c>
    /// engine gets the same ternary values as INT8 weights, so its result equals the reference.
    /// </summary>
    public static HardwareLayer Quantize(ReadOnlySpan<float> weight, int outFeatures, ReadOnlySpan<float> input, int tokens,
        int inFeatures, HardwareConfig config, WeightScaleMethod method)
    {
        TernaryMatrix wq = TernaryMatrix.Quantize(weight, outFeatures, inFeatures, method, "weight");
        QuantizedActivations xq = QuantizedActivations.Quantize(input, tokens, inFeatures, config.ActBits);
        var layer = new Layer(new Workload(tokens, outFeatures, inFeatures), wq.ToValues(), xq.Data);
        return new HardwareLayer(layer, xq.Scales, wq.Scale, wq, xq);
    }

    /// <summary>acc and the dequantized output, both [tokens, out], from the software reference BitLinear.</summary>
    public (int[] Acc, float[] Output) Reference() => BitLinear.Forward(Weights, Input);

    /// <summary>The float output [tokens, out] of integer accumulators from the engine.</summary>
    public float[] Dequantize(ReadOnlySpan<int> acc)
    {
        var y = new float[acc.Length];
        BitLinear.Dequantize(acc, ActScales, WeightScale, Layer.Shape.OutFeatures, y);
        return y;
    }
}
