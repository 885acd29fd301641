using System.CommandLine;
using System.Globalization;
using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.Core.Numerics;
using Bit1HW.Sim;
using Bit1HW.Flows;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw sim</c>: compiles (or loads) a program image, runs it on the cycle-accurate simulator
/// (the fast path; every edge with <c>--vcd</c> or <c>--cycle-by-cycle</c>), writes <c>acc</c> and
/// the dequantized <c>output</c>, and checks acc against the reference BitLinear.
/// </summary>
internal static class SimCommand
{
    public static Command Create()
    {
        var cfgOpts = new ConfigOptions();
        var input = new Option<string?>("--in") { Description = "Safetensors layer (bitlinear format) to compile and simulate" };
        var image = new Option<string?>("--image") { Description = "A program image from 'compile --image' instead of --in (writes acc only; its config is the image's)" };
        var output = new Option<string>("--out") { Description = "Safetensors result: acc I32 [tokens, out], output F32 [tokens, out]", Required = true };
        var vcd = Flags.Vcd("sim.vcd, every edge of the ports, controller, memories and accumulators, and sim.gtkw, a GTKWave save file (slow path)");
        var report = new Option<string?>("--report") { Description = "Write the cycle and activity report JSON (docs/hardware.md, 'Simulator report')" };
        var quiet = Flags.Quiet();
        var json = Flags.Json("the cycle and activity report (as --report writes it)");
        var cycleByCycle = new Option<bool>("--cycle-by-cycle") { Description = "Clock the port-level engine edge by edge instead of the fast path (same results)" };
        var method = new Option<string>("--method") { Description = "Weight scale: absmean or median", DefaultValueFactory = _ => "absmean" };
        var latency = new Option<int?>("--memory-latency") { Description = "Streaming configs: cycles from a burst's address to its first beat (default 24)" };
        var rate = new Option<string?>("--memory-rate") { Description = "Streaming configs: beats per cycle as NUM/DEN, at most 1 (default 1/1)" };
        var backpressure = new Option<ulong?>("--backpressure") { Description = "Streaming configs: seeded random backpressure (30 % arready and rvalid gaps) with this seed" };
        var cmd = new Command("sim", "Simulate a layer cycle-exactly on the engine; outputs equal 'bit1hw bitlinear' bit for bit.")
            .WithExamples("bit1hw sim --in build/demo/small.safetensors --out build/demo/sim.safetensors --report build/demo/sim.json --vcd build/demo/waves");
        cfgOpts.AddTo(cmd);
        foreach (Option opt in new Option[] { input, image, output, vcd, report, quiet, json, method, cycleByCycle, latency, rate, backpressure }) cmd.Add(opt);
        cmd.SetAction(parse =>
        {
            string? inPath = parse.GetValue(input), imgPath = parse.GetValue(image);
            if ((inPath is null) == (imgPath is null)) throw new UserInputException("--in/--image", "give exactly one of them");
            string outPath = Flags.Path(parse.GetValue(output), "--out");
            string? vcdPath = VcdFile(parse, parse.GetValue(vcd));
            HardwareLayer? hl = null;
            ProgramImage img;
            if (inPath is not null)
            {
                HardwareConfig c = cfgOpts.Read(parse);
                hl = HardwareLayer.Load(inPath, c, LayerFiles.ParseMethod(parse.GetValue(method)!));
                img = LayerCompiler.Compile(hl.Layer, c).Image;
            }
            else
            {
                if (parse.GetValue(cfgOpts.Config) is not null || cfgOpts.AnyOverride(parse))
                    throw new UserInputException("--image", "a program image carries its configuration; --config and the overrides go with --in");
                img = ProgramImageFile.Read(imgPath!);
                ScheduleVerifier.Verify(img, MemoryLayout.For(img.Workload, img.Config));
            }
            TextWriter err = parse.InvocationConfiguration.Error;
            SimPath path = parse.GetValue(cycleByCycle) ? SimPath.CycleByCycle : SimPath.Fast;
            MemoryModel memory = Memory(img.Config, parse.GetValue(latency), parse.GetValue(rate), parse.GetValue(backpressure));
            SimResult r;
            using (var status = Flags.Status(parse, parse.GetValue(quiet)))
            {
                string stage = $"sim: {img.Config.Tag}: {img.PredictedCycles} cycles{(vcdPath is null ? "" : " with a VCD")}";
                status.Stage(stage);
                r = SimulationFiles.Run(img, vcdPath, new Progress(status, stage), path, memory);
            }
            SimulationFiles.WriteOutputs(outPath, r, hl);
            string reportJson = r.ToReport().ToJson();
            if (parse.GetValue(report) is { } reportPath) AtomicFile.WriteAllText(reportPath, reportJson);
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) o.Write(reportJson.EndsWith('\n') ? reportJson : reportJson + "\n");
            else
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"sim: {img.Config.Tag}: {Cycles(img, r, memory)}, {r.Activity.MacTiles} tiles, " +
                    $"{r.Activity.TermsTotal} terms ({r.Activity.TermsZeroWeight} zero weights) -> {outPath}"));
            return hl is null ? 0 : CheckReference(hl, r, err);
        });
        return cmd;
    }

    /// <summary>The busy cycles; a streaming run's split into static and stall cycles, with its traffic and memory.</summary>
    private static string Cycles(ProgramImage img, SimResult r, MemoryModel memory) => img.Config.IsStreaming
        ? string.Create(CultureInfo.InvariantCulture,
            $"{r.Cycles} cycles = {r.PredictedCycles} static + {r.Activity.StallCycles} stall cycles ({r.Activity.Bursts} bursts, {r.Activity.ExternalBytesRead} bytes read; memory: {memory})")
        : string.Create(CultureInfo.InvariantCulture, $"{r.Cycles} cycles (predicted {r.PredictedCycles})");

    /// <summary>The memory a streaming image reads from the flags; the flags on a host-fed config are an error.</summary>
    private static MemoryModel Memory(HardwareConfig c, int? latency, string? rate, ulong? seed)
    {
        if (!c.IsStreaming)
        {
            string? given = latency is not null ? "--memory-latency" : rate is not null ? "--memory-rate" : seed is not null ? "--backpressure" : null;
            if (given is not null) throw new UserInputException(given, "needs a streaming config (a 'stream' object in --config)");
            return MemoryModel.Default;
        }
        int num = 1, den = 1;
        if (rate is not null)
        {
            string[] parts = rate.Split('/');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out num)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out den))
                throw new UserInputException("--memory-rate", $"'{rate}' is not NUM/DEN (for example 1/2)");
        }
        var timing = new MemoryTiming(latency ?? MemoryModel.Default.Timing.FirstBeatLatencyCycles, num, den).Validate("--memory-latency/--memory-rate");
        return seed is { } s ? MemoryModel.RandomBackpressure(timing, s) : MemoryModel.Nominal(timing);
    }

    /// <summary>
    /// The VCD file for --vcd DIR: DIR/sim.vcd. A value ending in .vcd is the old meaning (the file
    /// itself), accepted for one release with a deprecation line.
    /// </summary>
    private static string? VcdFile(ParseResult parse, string? value)
    {
        if (value is null) return null;
        if (value.EndsWith(".vcd", StringComparison.Ordinal))
        {
            Flags.Deprecated(parse, "--vcd FILE.vcd", $"--vcd DIR (writes DIR/sim.vcd, as cosim and verify do); writing {value} this time");
            return value;
        }
        return Path.Combine(value, "sim.vcd");
    }

    /// <summary>Exit 1 with the first differing element when the simulator disagrees with Core's BitLinear.</summary>
    private static int CheckReference(HardwareLayer hl, SimResult r, TextWriter err)
    {
        if (SimulationFiles.FirstMismatch(r, hl) is not { } m) return ExitCodes.Ok;
        err.WriteLine($"sim: MISMATCH at acc[{m.Token}, {m.OutFeature}]: simulator {m.Simulated}, reference BitLinear {m.Reference}");
        return ExitCodes.Mismatch;
    }

    /// <summary>The simulator's fraction of predicted cycles, as the status bar of one stage.</summary>
    private sealed class Progress(IProgress<ProgressUpdate> status, string stage) : IProgress<double>
    {
        public void Report(double fraction) => status.Report(new ProgressUpdate(stage, Math.Min(fraction, 1)));
    }
}
