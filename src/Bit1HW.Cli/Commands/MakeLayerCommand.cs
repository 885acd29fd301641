using System.CommandLine;
using Bit1HW.Core;
using Bit1HW.Flows;

namespace Bit1HW.Cli.Commands;

/// <summary><c>bit1hw make-layer</c>: writes a seeded <see cref="SyntheticLayer"/> (the generator and its order of draws are documented there).</summary>
internal static class MakeLayerCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Safetensors file to write ('weight' F32 [out, in], 'input' F32 [tokens, in])", Required = true };
        var outF = Flags.Count("--out-features", "Output features (weight rows)", 0);
        outF.Required = true;
        var inF = Flags.Count("--in-features", "Input features K (weight columns)", 0);
        inF.Required = true;
        var tokens = Flags.Count("--tokens", "Tokens (input rows)", 1);
        var seed = Flags.Seed("Random seed (printed)", 1);
        var zero = new Option<double>("--zero-fraction") { Description = "Fraction of weights forced to exactly 0, in [0, 1]", DefaultValueFactory = _ => 0.0 };
        var json = Flags.Json("the summary");
        var cmd = new Command("make-layer", "Write a seeded synthetic layer (weight and input) for bitlinear, quantize, compile, sim and cosim.")
            .WithExamples("bit1hw make-layer --out build/demo/layer.safetensors --out-features 2560 --in-features 6912 --tokens 8 --seed 7 --zero-fraction 0.1");
        foreach (Option opt in new Option[] { output, outF, inF, tokens, seed, zero, json }) cmd.Add(opt);
        cmd.SetAction(parse =>
        {
            int rows = parse.GetValue(outF), k = parse.GetValue(inF), t = parse.GetValue(tokens);
            double f = parse.GetValue(zero);
            if (!(f >= 0 && f <= 1)) throw new UserInputException("--zero-fraction", $"{Flags.F(f)} is outside 0..1");
            if ((long)rows * k > int.MaxValue / 4 || (long)t * k > int.MaxValue / 4)
                throw new UserInputException("--in-features", $"[{rows}, {k}] or [{t}, {k}] is too large for one file");
            string outPath = Flags.Path(parse.GetValue(output), "--out");
            ulong s = parse.GetValue(seed);
            SyntheticLayer.Generate(rows, k, t, s, f).ToFile().Write(outPath);
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
                CliJson.Write(o, new { seed = s, outFeatures = rows, inFeatures = k, tokens = t, zeroFraction = f, output = outPath });
            else
                o.WriteLine($"make-layer: seed {s}; weight [{rows}, {k}] ~ N(0, 1/sqrt({k})), zero fraction {Flags.F(f, "R")}; input [{t}, {k}] ~ N(0, 1) -> {outPath}");
            return 0;
        });
        return cmd;
    }
}
