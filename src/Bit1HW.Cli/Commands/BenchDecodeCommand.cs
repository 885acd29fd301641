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
        var vs = new Option<string?>("--vs") { Description = "Also run this peer on the same file in this process and print the tokens/s ratio: llamacpp (LLamaSharp's build of llama.cpp)" };
        var rounds = new Option<int>("--rounds") { Description = "Alternating timed runs of each decoder for --vs (median reported)", DefaultValueFactory = _ => 5 };
        var i2s = new Option<string>("--i2s-layout") { Description = "I2_S code layout of the file: x86 | arm", DefaultValueFactory = _ => "x86" };
        var cmd = new Command("decode", "Reference-backend decode tokens/s and the ternary GEMV's effective weight bandwidth next to a STREAM-style copy.\n\nExample:\n  bit1hw model new --config docs/examples/models/bitnet-2b4t-shape.json --format gguf-tq2 --out /tmp/b2b.gguf\n  bit1hw bench decode --model /tmp/b2b.gguf --tokens 8\n  bit1hw bench decode --model build/tiny-silu.gguf --vs llamacpp")
        {
            model, tokens, threads, vs, rounds, i2s,
        };
        cmd.SetAction(parse =>
        {
            string? peer = parse.GetValue(vs);
            if (peer is not null and not "llamacpp") throw new UserInputException("--vs", $"'{peer}' is not one of llamacpp");
            if (parse.GetValue(rounds) < 1) throw new UserInputException("--rounds", $"{parse.GetValue(rounds)} must be at least 1");
            var sw = System.Diagnostics.Stopwatch.StartNew();
            string path = parse.GetValue(model)!;
            var w = ModelFile.Load(path, ModelFile.ParseI2sLayout(parse.GetValue(i2s)!));
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            double loadSeconds = sw.Elapsed.TotalSeconds;
            long? peak = DecodeBench.PeakResidentBytes();
            using var versus = peer is null ? null : LlamaCpp.DecodeVersus.Open(path, parse.GetValue(threads), parse.GetValue(tokens));
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine(string.Create(inv, $"load             {loadSeconds:F1} s"));
            if (peak is long rss && File.Exists(path))
                o.WriteLine(string.Create(inv, $"peak RSS         {rss / 1e6:F0} MB after loading ({(double)rss / new FileInfo(path).Length:F2}x the {new FileInfo(path).Length / 1e6:F0} MB file)"));
            o.Write(DecodeBench.Run(w, parse.GetValue(threads), parse.GetValue(tokens)));
            if (versus is not null) o.Write(versus.Run(w, parse.GetValue(rounds)));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
