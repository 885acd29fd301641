using System.CommandLine;
using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.Model;
using Bit1HW.Model.Decoding;
using Bit1HW.Flows;

namespace Bit1HW.Cli.Commands;

/// <summary><c>bit1hw decode</c>: generate tokens from a BitNet model with a chosen ternary backend.</summary>
internal static class DecodeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A .gguf BitNet model or a safetensors model directory", Required = true };
        var prompt = new Option<string>("--prompt-tokens") { Description = "Prompt token ids, space separated", Required = true };
        var maxNew = new Option<int>("--max-new") { Description = "Tokens to generate", DefaultValueFactory = _ => 16 };
        var backend = new Option<string>("--backend") { Description = "Ternary GEMV backend: reference | scalar | core (Core's BitLinear) | sim (compiled + cycle-accurate simulator) | verilator (compiled + the generated RTL under Verilator)", DefaultValueFactory = _ => "reference" };
        var seed = new Option<ulong>("--seed") { Description = "Sampling seed", DefaultValueFactory = _ => 1 };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy (default); > 0 samples with the seed", DefaultValueFactory = _ => 0 };
        var report = new Option<string?>("--report") { Description = "Write a JSON run report here" };
        var compare = new Option<bool>("--compare") { Description = "Also run the reference backend on every projection and fail (exit 1) at the first differing accumulator" };
        var threads = new Option<int>("--threads") { Description = "Threads for the reference backend and the lm_head (0 = all cores)", DefaultValueFactory = _ => 0 };
        var node = new Option<string>("--node") { Description = "Technology node for the energy per token of --backend sim or verilator: 7nm, 45nm or a node JSON (docs/energy.md)", DefaultValueFactory = _ => "7nm" };
        var numerics = new Option<string>("--numerics") { Description = "bit1hw (the bit-exact contract, docs/numerics.md) | llamacpp (llama.cpp's CPU numerics: Q8_K activations per 256-value block, fp16 K/V, Q, probabilities and lm_head input)", DefaultValueFactory = _ => "bit1hw" };
        var i2s = new Option<string>("--i2s-layout") { Description = "I2_S code layout of the file: x86 | arm (bitnet.cpp's two builds pack I2_S differently and the file does not say which)", DefaultValueFactory = _ => "x86" };
        var hw = new Option<string?>("--hw-config") { Description = "Hardware config JSON for --backend sim or verilator (default: the built-in default configuration)" };
        var cmd = new Command("decode", "Decode tokens with a BitNet b1.58 model; prints the generated token ids and tokens/s.\n\nExample:\n  bit1hw decode --model build/tiny.gguf --prompt-tokens \"1 15 27\" --max-new 8")
        {
            model, prompt, maxNew, backend, seed, temperature, report, compare, threads, hw, node, i2s, numerics,
        };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var w = ModelFile.Load(parse.GetValue(model)!, ModelFile.ParseI2sLayout(parse.GetValue(i2s)!));
            int[] tokens = DecodeRun.ParseTokens(parse.GetValue(prompt)!, w.Config.VocabSize);
            int nThreads = parse.GetValue(threads);
            string name = parse.GetValue(backend)!;
            HardwareConfig? hardware = DecoderBackends.UsesHardware(name) ? HardwareConfig.LoadOrDefault(parse.GetValue(hw)) : null;
            ITernaryLinearBackend b = DecoderBackends.Create(name, nThreads, hardware, parse.GetValue(node)!, parse.InvocationConfiguration.Error);
            var accelerator = b as AcceleratorBackend;
            bool doCompare = parse.GetValue(compare);
            if (doCompare) b = new CompareBackend(new ReferenceBackend(nThreads), b);
            DecodeResult r;
            try
            {
                r = DecodeRun.Run(w, b, tokens, parse.GetValue(maxNew), parse.GetValue(temperature), parse.GetValue(seed),
                    numerics: Decoders.ParseNumerics(parse.GetValue(numerics)!), threads: nThreads);
            }
            catch (BackendMismatchException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"bit1hw: mismatch: {e.Message}");
                return ExitCodes.Mismatch;
            }
            var inv = CultureInfo.InvariantCulture;
            o.WriteLine($"model      {w.Format}, {w.Config.NumLayers} layers, hidden {w.Config.HiddenSize}, vocab {w.Config.VocabSize}");
            o.WriteLine($"backend    {r.Backend}");
            o.WriteLine($"generated  {string.Join(' ', r.Generated)}");
            o.WriteLine(string.Create(inv, $"speed      {r.TokensPerSecond:F2} tokens/s ({r.Steps} decoder steps in {r.Seconds:F3} s)"));
            if (r.CyclesPerToken is double cpt) o.WriteLine(string.Create(inv, $"cycles     {cpt:F0} per token"));
            if (accelerator is not null)
                o.WriteLine($"energy     {Energy.Reporting.Units.Energy(accelerator.Picojoules / r.Steps)} per token on {accelerator.Config.Tag} at {accelerator.Node} (ternary linear layers: arithmetic + SRAM, from simulated activity)");
            if (doCompare) o.WriteLine("compare    every ternary accumulator identical to the reference");
            if (parse.GetValue(report) is string rp) AtomicFile.WriteAllText(rp, r.ToJson());
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
