using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Bit1HW.Flows;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Model;
using Bit1HW.Model.Decoding;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw bench decode-sim</c>: wall time per token of <c>decode --backend sim</c>, token by
/// token (the first one compiles every chunk), with the simulated cycles of each and a stopwatch
/// breakdown of the chunks' work (docs/performance.md).
/// </summary>
internal static class BenchDecodeSimCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A .gguf BitNet model or a safetensors model directory", Required = true };
        var tokens = new Option<int>("--tokens") { Description = "Decoder steps to time", DefaultValueFactory = _ => 4 };
        var hw = new Option<string?>("--hw-config") { Description = "Hardware config JSON (default: the built-in default configuration)" };
        var cmd = new Command("decode-sim", "Wall time per token of decode --backend sim (the simulated accelerator), with cycles per token and where the time goes.\n\nExample:\n  bit1hw bench decode-sim --model /tmp/b2b.gguf --tokens 4")
        {
            model, tokens, hw,
        };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var inv = CultureInfo.InvariantCulture;
            var sw = Stopwatch.StartNew();
            BitNetWeights w = ModelFile.Load(parse.GetValue(model)!);
            o.WriteLine(string.Create(inv, $"load           {sw.Elapsed.TotalSeconds:F1} s"));
            int steps = parse.GetValue(tokens);
            if (steps < 1) throw new UserInputException("--tokens", $"{steps} must be at least 1");
            HardwareConfig config = parse.GetValue(hw) is string path ? HardwareConfig.Load(path) : HardwareConfig.Default;
            if (config.IsStreaming)
                throw new UserInputException("--hw-config", "bench decode-sim times the kept chunks of a host-fed engine; for a streaming config use decode --backend sim (cycles) or estimate");
            using var backend = AcceleratorBackend.Simulator(config);
            var decoder = new Decoder(w, backend, steps);
            var seconds = new List<double>();
            int token = 1;
            for (int step = 0; step < steps; step++)
            {
                long cycles0 = backend.Cycles!.Value;
                var before = backend.ChunkTimes!.Seconds;
                sw.Restart();
                float[] logits = decoder.Step(token);
                seconds.Add(sw.Elapsed.TotalSeconds);
                var after = backend.ChunkTimes!.Seconds;
                token = Argmax(logits);
                o.WriteLine(string.Create(inv,
                    $"token {step + 1,-8} {seconds[^1],6:F2} s wall  {backend.Cycles - cycles0} cycles  chunk thread time: compile {after.Compile - before.Compile:F2} s, " +
                    $"pack {after.Pack - before.Pack:F2} s, simulate {after.Simulate - before.Simulate:F2} s, price {after.Price - before.Price:F2} s"));
            }
            if (steps > 1)
                o.WriteLine(string.Create(inv, $"after the first: {seconds.Skip(1).Average():F2} s per token (min {seconds.Skip(1).Min():F2}, max {seconds.Skip(1).Max():F2}), {config.Tag}, {Environment.ProcessorCount} threads"));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static int Argmax(float[] v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
