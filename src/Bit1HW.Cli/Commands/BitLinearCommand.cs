using System.CommandLine;
using Bit1HW.Core;
using Bit1HW.Core.Numerics;
using Bit1HW.Flows;

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
        var json = Flags.Json("the summary");
        var cmd = new Command("bitlinear", "Run the bit-exact reference BitLinear layer (docs/numerics.md) and report its SQNR against float64.")
        {
            input, output, actBits, method, json,
        }.WithExamples("bit1hw make-layer --out build/demo/layer.safetensors --out-features 2560 --in-features 6912 --tokens 8",
            "bit1hw bitlinear --in build/demo/layer.safetensors --out build/demo/bitlinear.safetensors --act-bits 8");
        cmd.SetAction(parse =>
        {
            int bits = parse.GetValue(actBits);
            BitNetQuant.RequireActBits(bits);
            WeightScaleMethod m = LayerFiles.ParseMethod(parse.GetValue(method)!);
            string inPath = Flags.Path(parse.GetValue(input), "--in");
            string outPath = Flags.Path(parse.GetValue(output), "--out");
            BitLinearFileResult r = BitLinearFile.Run(inPath, outPath, bits, m);
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                CliJson.Write(o, new
                {
                    tokens = r.Tokens, inFeatures = r.InFeatures, outFeatures = r.OutFeatures, actBits = bits,
                    method = LayerFiles.MethodName(m), weightScale = r.WeightScale, sqnrDecibels = r.SqnrDecibels, output = outPath,
                });
                return 0;
            }
            o.WriteLine(
                $"bitlinear: input [{r.Tokens}, {r.InFeatures}] x weight [{r.OutFeatures}, {r.InFeatures}] -> output [{r.Tokens}, {r.OutFeatures}]; act-bits {bits}, " +
                $"{LayerFiles.MethodName(m)} beta={Flags.F(r.WeightScale, "R")}; SQNR vs float64 {Flags.F(r.SqnrDecibels, "F2")} dB -> {outPath}");
            return 0;
        });
        return cmd;
    }
}
