using System.CommandLine;
using Bit1HW.Core;
using Bit1HW.Model;
using Bit1HW.Model.Decoding;

namespace Bit1HW.Cli.Commands;

/// <summary><c>bit1hw bench decode</c>: decode speed and ternary GEMV bandwidth against a STREAM-style copy.</summary>
internal static class BenchDecodeCommand
{
    public static Command Decode()
    {
        var model = new Option<string>("--model") { Description = "A .gguf BitNet model or a safetensors model directory", Required = true };
        var tokens = new Option<int>("--tokens") { Description = "Tokens to generate", DefaultValueFactory = _ => 8 };
        var threads = new Option<int>("--threads") { Description = "Threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var cmd = new Command("decode", "Reference-backend decode tokens/s and the ternary GEMV's effective weight bandwidth next to a STREAM-style copy.\n\nExample:\n  bit1hw model new --config docs/examples/models/bitnet-2b4t-shape.json --format gguf-tq2 --out /tmp/b2b.gguf\n  bit1hw bench decode --model /tmp/b2b.gguf --tokens 8")
        {
            model, tokens, threads,
        };
        cmd.SetAction(parse =>
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var w = ModelFile.Load(parse.GetValue(model)!);
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"load             {sw.Elapsed.TotalSeconds:F1} s"));
            o.Write(DecodeBench.Run(w, parse.GetValue(threads), parse.GetValue(tokens)));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
