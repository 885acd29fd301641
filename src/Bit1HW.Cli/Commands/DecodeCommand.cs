using System.CommandLine;
using System.Globalization;
using Bit1HW.Board;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.Model;
using Bit1HW.Model.Decoding;
using Bit1HW.Flows;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw decode</c>: generate tokens from a BitNet model with a chosen ternary backend. Each
/// token is printed as soon as it is sampled; --json prints the whole run as one document instead.
/// </summary>
internal static class DecodeCommand
{
    private sealed record Options(Option<string> Model, Option<string> Prompt, Option<int> MaxNew, Option<string> Backend, Option<ulong> Seed,
        Option<double> Temperature, Option<string?> Report, Option<bool> Compare, Option<int> Threads, ConfigOptions Hardware,
        Option<string> Node, Option<string> I2s, Option<string> Numerics, Option<bool> Json, Option<bool> Quiet, Option<string?> Port, Option<int> Baud);

    public static Command Create()
    {
        var opt = new Options(
            new Option<string>("--model") { Description = "A .gguf BitNet model or a safetensors model directory", Required = true },
            new Option<string>("--prompt-tokens") { Description = "Prompt token ids, space separated", Required = true },
            Flags.Count("--max-new", "Tokens to generate", 16),
            new Option<string>("--backend") { Description = "Ternary GEMV backend: reference | scalar | core (Core's BitLinear) | sim (compiled + cycle-accurate simulator) | verilator (compiled + the generated RTL under Verilator) | board (compiled + the board over its UART, --port; docs/board.md)", DefaultValueFactory = _ => "reference" },
            Flags.Seed("Sampling seed", 1),
            new Option<double>("--temperature") { Description = "0 = greedy (default); > 0 samples with the seed", DefaultValueFactory = _ => 0 },
            new Option<string?>("--report") { Description = "Write the JSON run report here" },
            new Option<bool>("--compare") { Description = "Also run the reference backend on every projection and fail (exit 1) at the first differing accumulator" },
            Flags.Count("--threads", "Threads for the reference backend and the lm_head (0 = all cores)", 0, min: 0),
            new ConfigOptions(deprecatedSpelling: "--hw-config"),
            new Option<string>("--node") { Description = "Technology node for the energy per token of --backend sim or verilator: 7nm, 45nm or a node JSON (docs/energy.md)", DefaultValueFactory = _ => "7nm" },
            new Option<string>("--i2s-layout") { Description = "I2_S code layout of the file: x86 | arm (bitnet.cpp's two builds pack I2_S differently and the file does not say which)", DefaultValueFactory = _ => "x86" },
            new Option<string>("--numerics") { Description = "bit1hw (the bit-exact contract, docs/numerics.md) | llamacpp (llama.cpp's CPU numerics: Q8_K activations per 256-value block, fp16 K/V, Q, probabilities and lm_head input)", DefaultValueFactory = _ => "bit1hw" },
            Flags.Json("the run (model, backend, tokens, speed, cycles, energy)"),
            Flags.Quiet(),
            new Option<string?>("--port") { Description = "--backend board: the board's serial device (iCEBreaker: usually /dev/ttyUSB1), or 'sim' for the board design under Verilator" },
            new Option<int>("--baud") { Description = "--backend board: the UART rate the bitstream was built for", DefaultValueFactory = _ => UartLink.DefaultBaud });
        var cmd = new Command("decode", "Decode tokens with a BitNet b1.58 model; prints each generated token id as it comes, then tokens/s.")
            .WithExamples("bit1hw decode --model build/tiny.gguf --prompt-tokens \"1 15 27\" --max-new 8",
                "bit1hw decode --model build/tiny.gguf --prompt-tokens \"1 15 27\" --max-new 4 --backend sim --config docs/examples/default.json --compare");
        foreach (Option o in new Option[] { opt.Model, opt.Prompt, opt.MaxNew, opt.Backend, opt.Seed, opt.Temperature, opt.Report, opt.Compare, opt.Threads })
            cmd.Add(o);
        opt.Hardware.AddTo(cmd);
        foreach (Option o in new Option[] { opt.Node, opt.I2s, opt.Numerics, opt.Json, opt.Quiet, opt.Port, opt.Baud }) cmd.Add(o);
        cmd.SetAction(parse => Run(parse, opt));
        return cmd;
    }

    private static int Run(ParseResult parse, Options opt)
    {
        var o = parse.InvocationConfiguration.Output;
        bool json = parse.GetValue(opt.Json);
        string name = parse.GetValue(opt.Backend)!;
        HardwareConfig hardware = opt.Hardware.Read(parse);
        var layout = ModelFile.ParseI2sLayout(parse.GetValue(opt.I2s)!);
        var numerics = Decoders.ParseNumerics(parse.GetValue(opt.Numerics)!);
        using var status = Flags.Status(parse, parse.GetValue(opt.Quiet));
        string modelPath = parse.GetValue(opt.Model)!;
        status.Stage($"decode: loading {modelPath}");
        var w = ModelFile.Load(modelPath, layout, status);
        int[] tokens = DecodeRun.ParseTokens(parse.GetValue(opt.Prompt)!, w.Config.VocabSize);
        int nThreads = parse.GetValue(opt.Threads);
        status.Stage($"decode: preparing the {name} backend");
        string? port = parse.GetValue(opt.Port);
        if (name != BoardBackend && port is not null) throw new UserInputException("--port", "only --backend board uses a port");
        ITernaryLinearBackend b = name == BoardBackend
            ? OpenBoard(port, BoardCommand.ConfigGiven(parse, opt.Hardware) || hardware != HardwareConfig.Default ? hardware : null,
                parse.GetValue(opt.Baud), parse.GetValue(opt.Node)!, status.Log)
            : DecoderBackends.Create(name, nThreads, DecoderBackends.UsesHardware(name) ? hardware : null, parse.GetValue(opt.Node)!, status.Log);
        var accelerator = b as AcceleratorBackend;
        bool doCompare = parse.GetValue(opt.Compare);
        if (doCompare) b = new CompareBackend(new ReferenceBackend(nThreads), b);
        bool started = false;
        void OnToken(int t)
        {
            if (!started)
            {
                // Written with the first token, so a run refused at its start leaves stdout empty.
                o.WriteLine($"model      {w.Format}, {w.Config.NumLayers} layers, hidden {w.Config.HiddenSize}, vocab {w.Config.VocabSize}");
                o.WriteLine($"backend    {b.Name}");
                o.Write("generated ");
                started = true;
            }
            o.Write(string.Create(CultureInfo.InvariantCulture, $" {t}"));
        }
        DecodeResult r;
        try
        {
            r = DecodeRun.Run(w, b, tokens, parse.GetValue(opt.MaxNew), parse.GetValue(opt.Temperature), parse.GetValue(opt.Seed),
                numerics: numerics, onToken: json ? null : OnToken, progress: status, threads: nThreads);
        }
        catch (BackendMismatchException e)
        {
            status.Dispose();
            if (started) o.WriteLine();
            parse.InvocationConfiguration.Error.WriteLine($"bit1hw: mismatch: {e.Message}");
            return ExitCodes.Mismatch;
        }
        status.Dispose();
        double? pjPerToken = accelerator is null ? null : accelerator.Picojoules / r.Steps;
        if (parse.GetValue(opt.Report) is string rp) AtomicFile.WriteAllText(rp, r.ToJson());
        if (json) CliJson.Write(o, Json(modelPath, w, r, parse.GetValue(opt.Numerics)!, accelerator, pjPerToken, doCompare));
        else Summary(o, r, accelerator, pjPerToken, doCompare);
        if (name == BoardBackend) accelerator?.Dispose();
        return ExitCodes.Ok;
    }

    private const string BoardBackend = "board";

    /// <summary>
    /// The board backend: every ternary projection, cut into chunks that fit the board's memories, run over
    /// the UART link (docs/board.md). <paramref name="wanted"/>, when the user gave a configuration, must be the
    /// bitstream's; with --port sim it is the design simulated (default: board build's).
    /// </summary>
    private static AcceleratorBackend OpenBoard(string? port, HardwareConfig? wanted, int baud, string node, TextWriter err)
    {
        if (port is null) throw new UserInputException("--port", "--backend board needs --port (a serial device, or sim)");
        HardwareConfig cfg = wanted ?? BoardCommand.DefaultConfig();
        UartLink link = BoardCommand.Link(baud);
        var session = BoardSession.Open(BoardLinks.Open(port, link, cfg, err), link);
        try
        {
            if (wanted is not null) session.CheckConfig(wanted, "--config");
            return AcceleratorBackend.Engine(BoardBackend, session.Config, image =>
            {
                BoardRun run = session.Run(image);
                return (run.Acc, run.Cycles);
            }, session, node);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static object Json(string modelPath, BitNetWeights w, DecodeResult r, string numerics, AcceleratorBackend? accelerator,
        double? pjPerToken, bool compared) => new
    {
        model = modelPath, format = w.Format, layers = w.Config.NumLayers, hidden = w.Config.HiddenSize, vocab = w.Config.VocabSize,
        backend = r.Backend, numerics, promptTokens = r.Prompt, generatedTokens = r.Generated,
        steps = r.Steps, seconds = r.Seconds, tokensPerSecond = r.TokensPerSecond, ternaryWeightBytesRead = r.TernaryBytesRead,
        cycles = r.Cycles, cyclesPerToken = r.CyclesPerToken,
        hardware = accelerator?.Config.Tag, node = accelerator?.Node, energyPerTokenPicojoules = pjPerToken,
        stallCycles = accelerator is { Config.IsStreaming: true } ? accelerator.StallCycles : (long?)null,
        hostCycles = accelerator is { Config.IsStreaming: true } ? accelerator.HostCycles : (long?)null,
        externalBytesRead = accelerator is { Config.IsStreaming: true } ? accelerator.ExternalBytesRead : (long?)null,
        compared,
    };

    /// <summary>The lines after the streamed tokens.</summary>
    private static void Summary(TextWriter o, DecodeResult r, AcceleratorBackend? accelerator, double? pjPerToken, bool compared)
    {
        o.WriteLine();
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(inv, $"speed      {r.TokensPerSecond:F2} tokens/s ({r.Steps} decoder steps in {r.Seconds:F3} s)"));
        if (r.CyclesPerToken is double cpt) o.WriteLine(string.Create(inv, $"cycles     {cpt:F0} per token"));
        if (accelerator is { Config.IsStreaming: true } a)
            o.WriteLine(string.Create(inv, $"streaming  per token: compute {(double)(a.Cycles!.Value - a.StallCycles) / r.Steps:F0} + stall {(double)a.StallCycles / r.Steps:F0} busy cycles, " +
                $"host {(double)a.HostCycles / r.Steps:F0} cycles; {(double)a.ExternalBytesRead / r.Steps:F0} bytes read from a {a.DramImageBytes}-byte DRAM image of the model"));
        if (accelerator is not null)
            o.WriteLine($"energy     {Energy.Reporting.Units.Energy(pjPerToken!.Value)} per token on {accelerator.Config.Tag} at {accelerator.Node} (ternary linear layers: arithmetic + SRAM, from simulated activity)");
        if (compared) o.WriteLine("compare    every ternary accumulator identical to the reference");
    }
}
