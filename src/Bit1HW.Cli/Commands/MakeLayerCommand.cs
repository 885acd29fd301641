using System.CommandLine;
using Bit1HW.Core;
using Bit1HW.Core.IO;
using Bit1HW.Flows;

namespace Bit1HW.Cli.Commands;

/// <summary><c>bit1hw make-layer</c>: writes a seeded <see cref="SyntheticLayer"/> (the generator and its order of draws are documented there).</summary>
internal static class MakeLayerCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Safetensors file to write ('weight' F32 [out, in], 'input' F32 [tokens, in])", Required = true };
        var outF = new Option<int>("--out-features") { Description = "Output features (weight rows)", Required = true };
        var inF = new Option<int>("--in-features") { Description = "Input features K (weight columns)", Required = true };
        var tokens = new Option<int>("--tokens") { Description = "Tokens (input rows)", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Random seed (printed)", DefaultValueFactory = _ => 1 };
        var zero = new Option<double>("--zero-fraction") { Description = "Fraction of weights forced to exactly 0, in [0, 1]", DefaultValueFactory = _ => 0.0 };
        var cmd = new Command("make-layer",
            "Write a seeded synthetic layer (weight and input) for bitlinear and quantize.\n\n" +
            "Example:\n  bit1hw make-layer --out build/demo/layer.safetensors --out-features 2560 --in-features 6912 --tokens 8 --seed 7 --zero-fraction 0.1")
        {
            output, outF, inF, tokens, seed, zero,
        };
        cmd.SetAction(parse =>
        {
            int rows = Positive(parse.GetValue(outF), "--out-features"), k = Positive(parse.GetValue(inF), "--in-features");
            int t = Positive(parse.GetValue(tokens), "--tokens");
            double f = parse.GetValue(zero);
            if (!(f >= 0 && f <= 1)) throw new UserInputException("--zero-fraction", $"{Flags.F(f)} is outside 0..1");
            if ((long)rows * k > int.MaxValue / 4 || (long)t * k > int.MaxValue / 4)
                throw new UserInputException("--in-features", $"[{rows}, {k}] or [{t}, {k}] is too large for one file");
            string outPath = Flags.Path(parse.GetValue(output), "--out");
            int s = parse.GetValue(seed);
            SyntheticLayer.Generate(rows, k, t, s, f).ToFile().Write(outPath);
            parse.InvocationConfiguration.Output.WriteLine(
                $"make-layer: seed {s}; weight [{rows}, {k}] ~ N(0, 1/sqrt({k})), zero fraction {Flags.F(f, "R")}; input [{t}, {k}] ~ N(0, 1) -> {outPath}");
            return 0;
        });
        return cmd;
    }

    private static int Positive(int value, string flag) =>
        value >= 1 ? value : throw new UserInputException(flag, $"{value} must be at least 1");
}
