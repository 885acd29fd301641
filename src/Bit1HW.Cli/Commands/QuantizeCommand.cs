using System.CommandLine;
using Bit1HW.Core.Numerics;
using Bit1HW.Flows;

namespace Bit1HW.Cli.Commands;

/// <summary><c>bit1hw quantize</c>: options and the summary line over <see cref="QuantizeFile"/>.</summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--in") { Description = "Safetensors file holding the float weight tensor [out, in] (F32, F16 or BF16)", Required = true };
        var output = new Option<string>("--out") { Description = "Safetensors file to write (weight_q, weight_scale, weight_packed)", Required = true };
        var tensor = new Option<string>("--tensor") { Description = "Name of the weight tensor", DefaultValueFactory = _ => "weight" };
        var method = new Option<string>("--method") { Description = "Weight scale: absmean (mean |W|) or median (lower median |W|)", DefaultValueFactory = _ => "absmean" };
        var json = Flags.Json("the summary");
        var cmd = new Command("quantize", "Ternarize a float weight tensor (BitNet b1.58, docs/numerics.md) into int8 values, a scale and 2-bit packed codes.")
        {
            input, output, tensor, method, json,
        }.WithExamples("bit1hw make-layer --out build/demo/layer.safetensors --out-features 64 --in-features 256 --tokens 4",
            "bit1hw quantize --in build/demo/layer.safetensors --out build/demo/weight_q.safetensors --method absmean");
        cmd.SetAction(parse =>
        {
            WeightScaleMethod m = LayerFiles.ParseMethod(parse.GetValue(method)!);
            string inPath = Flags.Path(parse.GetValue(input), "--in");
            string outPath = Flags.Path(parse.GetValue(output), "--out");
            string name = parse.GetValue(tensor)!;
            QuantizeFileResult r = QuantizeFile.Run(inPath, outPath, name, m);
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                CliJson.Write(o, new
                {
                    tensor = name, rows = r.Rows, cols = r.Cols, method = LayerFiles.MethodName(m), scale = r.Scale,
                    minusOnes = r.MinusOnes, zeros = r.Zeros, plusOnes = r.PlusOnes, output = outPath,
                });
                return 0;
            }
            o.WriteLine(
                $"quantize: '{name}' [{r.Rows}, {r.Cols}] {LayerFiles.MethodName(m)} beta={Flags.F(r.Scale, "R")} " +
                $"-1:{r.MinusOnes} 0:{r.Zeros} +1:{r.PlusOnes} -> {outPath}");
            return 0;
        });
        return cmd;
    }
}
