using System.CommandLine;
using Bit1HW.Core;
using Bit1HW.Core.IO;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw make-layer</c>: a seeded synthetic layer. From one MersenneTwister(seed) stream, in this
/// order: weight [out, in] ~ Normal(0, 1/√in) row-major; then, when --zero-fraction f &gt; 0, one
/// Uniform[0, 1) draw per weight that sets it to 0 when below f; then input [tokens, in] ~ Normal(0, 1).
/// Values are rounded once to float32.
/// </summary>
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
            if (!(f >= 0 && f <= 1)) throw new UserInputException("--zero-fraction", $"{LayerFiles.F(f)} is outside 0..1");
            if ((long)rows * k > int.MaxValue / 4 || (long)t * k > int.MaxValue / 4)
                throw new UserInputException("--in-features", $"[{rows}, {k}] or [{t}, {k}] is too large for one file");
            string outPath = LayerFiles.Path(parse.GetValue(output), "--out");
            int s = parse.GetValue(seed);

            var rng = new MersenneTwister(s);
            var weight = Sample(new Normal(0, 1 / Math.Sqrt(k), rng), rows * k);
            if (f > 0)
            {
                var uniform = new ContinuousUniform(0, 1, rng);
                for (int i = 0; i < weight.Length; i++)
                    if (uniform.Sample() < f) weight[i] = 0f;
            }
            var input = Sample(new Normal(0, 1, rng), t * k);
            var file = new SafeTensorsFile()
                .Add(SafeTensor.FromSingles("weight", [rows, k], weight))
                .Add(SafeTensor.FromSingles("input", [t, k], input));
            file.Metadata["generator"] = "bit1hw make-layer";
            file.Metadata["seed"] = LayerFiles.F(s);
            file.Metadata["zero_fraction"] = LayerFiles.F(f, "R");
            file.Write(outPath);
            parse.InvocationConfiguration.Output.WriteLine(
                $"make-layer: seed {s}; weight [{rows}, {k}] ~ N(0, 1/sqrt({k})), zero fraction {LayerFiles.F(f, "R")}; input [{t}, {k}] ~ N(0, 1) -> {outPath}");
            return 0;
        });
        return cmd;
    }

    private static int Positive(int value, string flag) =>
        value >= 1 ? value : throw new UserInputException(flag, $"{value} must be at least 1");

    private static float[] Sample(Normal dist, int count)
    {
        var d = new double[count];
        dist.Samples(d);
        var r = new float[count];
        for (int i = 0; i < count; i++) r[i] = (float)d[i];
        return r;
    }
}
