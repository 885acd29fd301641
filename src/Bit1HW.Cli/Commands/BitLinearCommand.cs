using System.CommandLine;
using Bit1HW.Core;
using Bit1HW.Core.IO;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw bitlinear</c>: runs the reference BitLinear on <c>weight</c> F32 [out, in] and
/// <c>input</c> F32 [tokens, in], writes every intermediate (output, acc, input_q, input_scale,
/// weight_q, weight_scale) and prints one summary line with the SQNR against the float64 layer.
/// </summary>
internal static class BitLinearCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--in") { Description = "Safetensors file with 'weight' [out, in] and 'input' [tokens, in] (F32, F16 or BF16)", Required = true };
        var output = new Option<string>("--out") { Description = "Safetensors file to write: output, acc, input_q, input_scale, weight_q, weight_scale", Required = true };
        var actBits = new Option<int>("--act-bits") { Description = "Activation bits b, 2..8", DefaultValueFactory = _ => 8 };
        var method = new Option<string>("--method") { Description = "Weight scale: absmean or median", DefaultValueFactory = _ => "absmean" };
        var cmd = new Command("bitlinear",
            "Run the bit-exact reference BitLinear layer (docs/numerics.md) and report its SQNR against float64.\n\n" +
            "Example:\n  bit1hw make-layer --out build/demo/layer.safetensors --out-features 2560 --in-features 6912 --tokens 8\n" +
            "  bit1hw bitlinear --in build/demo/layer.safetensors --out build/demo/bitlinear.safetensors --act-bits 8")
        {
            input, output, actBits, method,
        };
        cmd.SetAction(parse =>
        {
            int bits = parse.GetValue(actBits);
            BitNetQuant.RequireActBits(bits);
            WeightScaleMethod m = LayerFiles.ParseMethod(parse.GetValue(method)!);
            string inPath = LayerFiles.Path(parse.GetValue(input), "--in");
            string outPath = LayerFiles.Path(parse.GetValue(output), "--out");
            SafeTensorsFile file = SafeTensorsFile.Read(inPath);
            var (w, outF, k) = LayerFiles.ReadMatrix(file, "weight", "out", "in");
            var (x, tokens, kx) = LayerFiles.ReadMatrix(file, "input", "tokens", "in");
            if (kx != k)
                throw new UserInputException($"{inPath}: tensor 'input'",
                    $"has {kx} columns but 'weight' [{outF}, {k}] needs {k} (input is [tokens, in])");
            if (k > BitLinear.MaxK(bits))
                throw new UserInputException($"{inPath}: tensor 'weight'",
                    $"K = {k} exceeds {BitLinear.MaxK(bits)}, the largest K whose {bits}-bit dot products fit int32 exactly");

            TernaryMatrix wq = TernaryMatrix.Quantize(w, outF, k, m);
            QuantizedActivations xq = QuantizedActivations.Quantize(x, tokens, k, bits);
            var (acc, y) = BitLinear.Forward(wq, xq);
            double sqnr = FloatReference.SqnrDecibels(FloatReference.Gemm(w, x, outF, k, tokens), y);

            var result = new SafeTensorsFile()
                .Add(SafeTensor.FromSingles("output", [tokens, outF], y))
                .Add(SafeTensor.FromInt32s("acc", [tokens, outF], acc))
                .Add(SafeTensor.FromSBytes("input_q", [tokens, k], xq.Data))
                .Add(SafeTensor.FromSingles("input_scale", [tokens], xq.Scales))
                .Add(SafeTensor.FromSBytes("weight_q", [outF, k], wq.ToValues()))
                .Add(SafeTensor.FromSingles("weight_scale", [1], [wq.Scale]));
            result.Metadata["act_bits"] = LayerFiles.F(bits);
            result.Metadata["method"] = LayerFiles.MethodName(m);
            result.Write(outPath);
            parse.InvocationConfiguration.Output.WriteLine(
                $"bitlinear: input [{tokens}, {k}] x weight [{outF}, {k}] -> output [{tokens}, {outF}]; act-bits {bits}, " +
                $"{LayerFiles.MethodName(m)} beta={LayerFiles.F(wq.Scale, "R")}; SQNR vs float64 {LayerFiles.F(sqnr, "F2")} dB -> {outPath}");
            return 0;
        });
        return cmd;
    }
}
