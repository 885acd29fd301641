using System.CommandLine;
using Bit1HW.Core.IO;
using Bit1HW.Core.Numerics;
using Bit1HW.Flows;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw quantize</c>: ternarizes one float weight tensor [out, in] and writes weight_q (I8
/// [out, in], values -1/0/+1), weight_scale (F32 [1], beta) and weight_packed (U8 [out, ceil(in/4)],
/// each row packed on its own with the 2-bit TernaryCode: 00 = 0, 01 = +1, 11 = -1, weight k of a row
/// in bits 2·(k mod 4)..+1 of byte k/4, last byte zero-padded).
/// </summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--in") { Description = "Safetensors file holding the float weight tensor [out, in] (F32, F16 or BF16)", Required = true };
        var output = new Option<string>("--out") { Description = "Safetensors file to write (weight_q, weight_scale, weight_packed)", Required = true };
        var tensor = new Option<string>("--tensor") { Description = "Name of the weight tensor", DefaultValueFactory = _ => "weight" };
        var method = new Option<string>("--method") { Description = "Weight scale: absmean (mean |W|) or median (lower median |W|)", DefaultValueFactory = _ => "absmean" };
        var cmd = new Command("quantize",
            "Ternarize a float weight tensor (BitNet b1.58, docs/numerics.md) into int8 values, a scale and 2-bit packed codes.\n\n" +
            "Example:\n  bit1hw make-layer --out build/demo/layer.safetensors --out-features 64 --in-features 256 --tokens 4\n" +
            "  bit1hw quantize --in build/demo/layer.safetensors --out build/demo/weight_q.safetensors --method absmean")
        {
            input, output, tensor, method,
        };
        cmd.SetAction(parse =>
        {
            WeightScaleMethod m = LayerFiles.ParseMethod(parse.GetValue(method)!);
            string inPath = Flags.Path(parse.GetValue(input), "--in");
            string outPath = Flags.Path(parse.GetValue(output), "--out");
            string name = parse.GetValue(tensor)!;
            SafeTensorsFile file = SafeTensorsFile.Read(inPath);
            var (w, rows, cols) = LayerFiles.ReadMatrix(file, name, "out", "in");
            TernaryMatrix q = TernaryMatrix.Quantize(w, rows, cols, m);
            var result = new SafeTensorsFile()
                .Add(SafeTensor.FromSBytes("weight_q", [rows, cols], q.ToValues()))
                .Add(SafeTensor.FromSingles("weight_scale", [1], [q.Scale]))
                .Add(SafeTensor.FromBytes("weight_packed", [rows, q.RowStrideBytes], q.Packed));
            result.Metadata["method"] = LayerFiles.MethodName(m);
            result.Metadata["source_tensor"] = name;
            result.Metadata["weight_packed_encoding"] = "2-bit per weight, 00=0 01=+1 11=-1, weight k of a row in bits 2*(k%4) of byte k/4, rows padded to whole bytes";
            result.Write(outPath);
            var counts = new long[3];
            foreach (sbyte v in q.ToValues()) counts[v + 1]++;
            parse.InvocationConfiguration.Output.WriteLine(
                $"quantize: '{name}' [{rows}, {cols}] {LayerFiles.MethodName(m)} beta={Flags.F(q.Scale, "R")} " +
                $"-1:{counts[0]} 0:{counts[1]} +1:{counts[2]} -> {outPath}");
            return 0;
        });
        return cmd;
    }
}
