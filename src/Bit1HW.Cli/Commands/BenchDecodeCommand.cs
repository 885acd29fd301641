using System.CommandLine;
using System.Diagnostics;
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
        var tokens = Flags.Count("--tokens", "Tokens to generate", 8);
        var threads = Flags.Count("--threads", "Threads (0 = all cores)", 0, min: 0);
        var vs = new Option<string?>("--vs") { Description = "Also run this peer on the same file in this process and print the tokens/s ratio: llamacpp (LLamaSharp's build of llama.cpp)" };
        var rounds = Flags.Count("--rounds", "Alternating timed runs of each decoder for --vs (median reported)", 5);
        var i2s = new Option<string>("--i2s-layout") { Description = "I2_S code layout of the file: x86 | arm", DefaultValueFactory = _ => "x86" };
        var json = Flags.Json("the measurements");
        var quiet = Flags.Quiet();
        var cmd = new Command("decode", "Reference-backend decode tokens/s and the ternary GEMV's weight bandwidth next to a STREAM-style copy.")
        {
            model, tokens, threads, vs, rounds, i2s, json, quiet,
        }.WithExamples("bit1hw model new --model-config docs/examples/models/bitnet-2b4t-shape.json --format gguf-tq2 --out /tmp/b2b.gguf",
            "bit1hw bench decode --model /tmp/b2b.gguf --tokens 8",
            "bit1hw bench decode --model build/tiny-silu.gguf --vs llamacpp --json");
        cmd.SetAction(parse =>
        {
            string? peer = parse.GetValue(vs);
            if (peer is not null and not "llamacpp") throw new UserInputException("--vs", $"'{peer}' is not one of llamacpp");
            var layout = ModelFile.ParseI2sLayout(parse.GetValue(i2s)!);
            string path = parse.GetValue(model)!;
            int nThreads = parse.GetValue(threads), nTokens = parse.GetValue(tokens);
            DecodeBenchResult bench;
            LlamaCpp.VersusResult? versus = null;
            double loadSeconds;
            long? residentBeforeLoad;
            using (var status = Flags.Status(parse, parse.GetValue(quiet)))
            {
                var sw = Stopwatch.StartNew();
                status.Stage($"bench decode: loading {path}");
                residentBeforeLoad = DecodeBench.ResidentBytes();
                var w = ModelFile.Load(path, layout, status);
                loadSeconds = sw.Elapsed.TotalSeconds;
                bench = DecodeBench.Measure(w, nThreads, nTokens, status);
                // llama.cpp maps the same file again: loaded after bit1hw's peak RSS has been read.
                using var peerRun = peer is null ? null : LlamaCpp.DecodeVersus.Open(path, nThreads, nTokens);
                versus = peerRun?.Measure(w, parse.GetValue(rounds), status);
            }
            var o = parse.InvocationConfiguration.Output;
            long fileBytes = ModelFile.SizeOnDisk(path);
            double? loadAverage = DecodeBench.LoadAverage();
            if (parse.GetValue(json))
            {
                CliJson.Write(o, new
                {
                    model = path, format = bench.Format, layers = bench.Config.NumLayers, hidden = bench.Config.HiddenSize,
                    ffn = bench.Config.IntermediateSize, vocab = bench.Config.VocabSize, threads = bench.Threads,
                    loadSeconds = Math.Round(loadSeconds, 3), fileBytes, peakResidentBytes = bench.PeakResidentBytes, kvCacheBytes = bench.KvCacheBytes, residentBeforeLoadBytes = residentBeforeLoad, loadAverage,
                    copyGigabytesPerSecond = bench.CopyGigabytesPerSecond, ternaryBytesPerToken = bench.TernaryBytesPerToken,
                    gemvSecondsPerToken = bench.GemvSecondsPerToken, gemvGigabytesPerSecond = bench.GemvGigabytesPerSecond,
                    gemvKernels = bench.Gemv.Select(g => new { kernel = g.Kernel, secondsPerToken = g.SecondsPerToken }),
                    lmHeadSecondsPerToken = bench.LmHeadSecondsPerToken, lmHeadBytes = bench.LmHeadBytes, lmHeadType = bench.LmHeadType, lmHeadHugePageBytes = bench.LmHeadHugePageBytes,
                    tokens = bench.Decode.Generated.Length, decodeSteps = bench.Decode.Steps, tokensPerSecond = bench.Decode.TokensPerSecond,
                    versus = versus is null ? null : new
                    {
                        peer = "llamacpp", build = versus.LlamaCppBuild, rounds = versus.Rounds,
                        bit1hwTokensPerSecond = versus.Bit1hwTokensPerSecond, llamaCppTokensPerSecond = versus.LlamaCppTokensPerSecond, ratio = versus.Ratio,
                    },
                });
                return ExitCodes.Ok;
            }
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            o.WriteLine(string.Create(inv, $"load             {loadSeconds:F1} s"));
            if (loadAverage is double load) o.WriteLine(string.Create(inv, $"load average     {load:F2} (1 minute, at the end; timings on a busy machine are not comparable)"));
            o.Write(bench.ToText(fileBytes, residentBeforeLoad));
            if (versus is not null) o.Write(versus.ToText());
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
