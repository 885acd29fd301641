using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Cli.Commands;

/// <summary>A `bitlinear`-format layer quantized for the engine, with the scales to dequantize its outputs.</summary>
internal sealed record HardwareLayer(Layer Layer, float[] ActScales, float WeightScale, TernaryMatrix Weights, QuantizedActivations Input)
{
    /// <summary>
    /// Reads F32 <c>weight</c> [out, in] and <c>input</c> [tokens, in] and quantizes them exactly as
    /// <c>bit1hw bitlinear</c> does (docs/numerics.md) with the config's actBits. A <c>pe = mac</c>
    /// engine gets the same ternary values as INT8 weights, so its result equals the reference.
    /// </summary>
    public static HardwareLayer Load(string path, HardwareConfig config, WeightScaleMethod method)
    {
        SafeTensorsFile file = SafeTensorsFile.Read(path);
        var (w, outF, k) = LayerFiles.ReadMatrix(file, "weight", "out", "in");
        var (x, tokens, kx) = LayerFiles.ReadMatrix(file, "input", "tokens", "in");
        if (kx != k)
            throw new UserInputException($"{path}: tensor 'input'", $"has {kx} columns but 'weight' [{outF}, {k}] needs {k} (input is [tokens, in])");
        TernaryMatrix wq = TernaryMatrix.Quantize(w, outF, k, method);
        QuantizedActivations xq = QuantizedActivations.Quantize(x, tokens, k, config.ActBits);
        var layer = new Layer(new Workload(tokens, outF, k), wq.ToValues(), xq.Data);
        return new HardwareLayer(layer, xq.Scales, wq.Scale, wq, xq);
    }

    public static HardwareConfig Config(string? path) => path is null ? HardwareConfig.Default : HardwareConfig.Load(path);
}
