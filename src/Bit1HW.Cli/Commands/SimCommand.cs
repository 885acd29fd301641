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
        var cmd = new Command("sim", "Simulate a layer cycle-exactly on the engine; outputs equal 'bit1hw bitlinear' bit for bit.")
            .WithExamples("bit1hw sim --in build/demo/small.safetensors --out build/demo/sim.safetensors --report build/demo/sim.json --vcd build/demo/waves");
        cfgOpts.AddTo(cmd);
        foreach (Option opt in new Option[] { input, image, output, vcd, report, quiet, json, method, cycleByCycle }) cmd.Add(opt);
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
            SimResult r;
            using (var status = Flags.Status(parse, parse.GetValue(quiet)))
            {
                string stage = $"sim: {img.Config.Tag}: {img.PredictedCycles} cycles{(vcdPath is null ? "" : " with a VCD")}";
                status.Stage(stage);
                r = SimulationFiles.Run(img, vcdPath, new Progress(status, stage), path);
            }
            SimulationFiles.WriteOutputs(outPath, r, hl);
            string reportJson = r.ToReport().ToJson();
            if (parse.GetValue(report) is { } reportPath) AtomicFile.WriteAllText(reportPath, reportJson);
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) o.Write(reportJson.EndsWith('\n') ? reportJson : reportJson + "\n");
            else
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"sim: {img.Config.Tag}: {r.Cycles} cycles (predicted {r.PredictedCycles}), {r.Activity.MacTiles} tiles, " +
                    $"{r.Activity.TermsTotal} terms ({r.Activity.TermsZeroWeight} zero weights) -> {outPath}"));
            return hl is null ? 0 : CheckReference(hl, r, err);
        });
        return cmd;
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
