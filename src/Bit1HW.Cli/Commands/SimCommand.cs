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
        var config = new Option<string?>("--config") { Description = "Hardware config JSON (default: the built-in default)" };
        var input = new Option<string?>("--in") { Description = "Safetensors layer (bitlinear format) to compile and simulate" };
        var image = new Option<string?>("--image") { Description = "A program image from 'compile --image' instead of --in (writes acc only)" };
        var output = new Option<string>("--out") { Description = "Safetensors result: acc I32 [tokens, out], output F32 [tokens, out]", Required = true };
        var vcd = new Option<string?>("--vcd") { Description = "Write a VCD waveform of the top ports, pointers and accumulators (slow path)" };
        var report = new Option<string?>("--report") { Description = "Write the cycle and activity report JSON (docs/hardware.md, 'Simulator report')" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress on stderr" };
        var cycleByCycle = new Option<bool>("--cycle-by-cycle") { Description = "Clock the port-level engine edge by edge instead of the fast path (same results)" };
        var method = new Option<string>("--method") { Description = "Weight scale: absmean or median", DefaultValueFactory = _ => "absmean" };
        var cmd = new Command("sim",
            "Simulate a layer cycle-exactly on the engine; outputs equal 'bit1hw bitlinear' bit for bit.\n\n" +
            "Example:\n  bit1hw sim --in build/demo/small.safetensors --out build/demo/sim.safetensors --report build/demo/sim.json")
        {
            config, input, image, output, vcd, report, quiet, method, cycleByCycle,
        };
        cmd.SetAction(parse =>
        {
            string? inPath = parse.GetValue(input), imgPath = parse.GetValue(image);
            if ((inPath is null) == (imgPath is null)) throw new UserInputException("--in/--image", "give exactly one of them");
            string outPath = Flags.Path(parse.GetValue(output), "--out");
            HardwareLayer? hl = null;
            ProgramImage img;
            if (inPath is not null)
            {
                HardwareConfig c = HardwareConfig.LoadOrDefault(parse.GetValue(config));
                hl = HardwareLayer.Load(inPath, c, LayerFiles.ParseMethod(parse.GetValue(method)!));
                img = LayerCompiler.Compile(hl.Layer, c).Image;
            }
            else
            {
                img = ProgramImageFile.Read(imgPath!);
                ScheduleVerifier.Verify(img, MemoryLayout.For(img.Workload, img.Config));
            }
            TextWriter err = parse.InvocationConfiguration.Error;
            IProgress<double>? progress = parse.GetValue(quiet) ? null : new StderrProgress(err);
            SimPath path = parse.GetValue(cycleByCycle) ? SimPath.CycleByCycle : SimPath.Fast;
            SimResult r = SimulationFiles.Run(img, parse.GetValue(vcd), progress, path);
            SimulationFiles.WriteOutputs(outPath, r, hl);
            if (parse.GetValue(report) is { } reportPath) AtomicFile.WriteAllText(reportPath, r.ToReport().ToJson());
            parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sim: {img.Config.Tag}: {r.Cycles} cycles (predicted {r.PredictedCycles}), {r.Activity.MacTiles} tiles, " +
                $"{r.Activity.TermsTotal} terms ({r.Activity.TermsZeroWeight} zero weights) -> {outPath}"));
            return hl is null ? 0 : CheckReference(hl, r, err);
        });
        return cmd;
    }

    /// <summary>Exit 1 with the first differing element when the simulator disagrees with Core's BitLinear.</summary>
    private static int CheckReference(HardwareLayer hl, SimResult r, TextWriter err)
    {
        if (SimulationFiles.FirstMismatch(r, hl) is not { } m) return ExitCodes.Ok;
        err.WriteLine($"sim: MISMATCH at acc[{m.Token}, {m.OutFeature}]: simulator {m.Simulated}, reference BitLinear {m.Reference}");
        return ExitCodes.Mismatch;
    }

    private sealed class StderrProgress(TextWriter err) : IProgress<double>
    {
        public void Report(double fraction) =>
            err.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sim: {Math.Min(fraction, 1) * 100:F0}% of the predicted cycles"));
    }
}
