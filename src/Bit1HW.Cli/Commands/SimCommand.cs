using System.CommandLine;
using System.Globalization;
using System.Text;
using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.Core.Numerics;
using Bit1HW.Sim;

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
            string outPath = LayerFiles.Path(parse.GetValue(output), "--out");
            HardwareLayer? hl = null;
            ProgramImage img;
            if (inPath is not null)
            {
                HardwareConfig c = HardwareLayer.Config(parse.GetValue(config));
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
            SimResult r = RunWithOptionalVcd(img, parse.GetValue(vcd), path, progress);
            WriteOutputs(outPath, r, hl);
            if (parse.GetValue(report) is { } reportPath) AtomicFile.WriteAllText(reportPath, SimReport.ToJson(img.Config, r));
            parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sim: {img.Config.Tag}: {r.Cycles} cycles (predicted {r.PredictedCycles}), {r.Activity.MacTiles} tiles, " +
                $"{r.Activity.TermsTotal} terms ({r.Activity.TermsZeroWeight} zero weights) -> {outPath}"));
            return hl is null ? 0 : CheckReference(hl, r, err);
        });
        return cmd;
    }

    private static SimResult RunWithOptionalVcd(ProgramImage img, string? vcdPath, SimPath path, IProgress<double>? progress)
    {
        if (vcdPath is null) return Simulator.Run(img, path, progress);
        SimResult? result = null;
        AtomicFile.Write(vcdPath, s =>
        {
            using var tw = new StreamWriter(s, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
            result = Simulator.Run(img, new VcdWriter(tw, img.Config), progress);
        });
        return result!;
    }

    private static void WriteOutputs(string path, SimResult r, HardwareLayer? hl)
    {
        long[] shape = [r.Workload.Tokens, r.Workload.OutFeatures];
        var file = new SafeTensorsFile().Add(SafeTensor.FromInt32s("acc", shape, r.Acc));
        if (hl is not null)
        {
            var y = new float[r.Acc.Length];
            BitLinear.Dequantize(r.Acc, hl.ActScales, hl.WeightScale, r.Workload.OutFeatures, y);
            file.Add(SafeTensor.FromSingles("output", shape, y));
        }
        file.Write(path);
    }

    /// <summary>Exit 1 with the first differing element when the simulator disagrees with Core's BitLinear.</summary>
    private static int CheckReference(HardwareLayer hl, SimResult r, TextWriter err)
    {
        var expected = new int[r.Acc.Length];
        BitLinear.Accumulate(hl.Weights, hl.Input, expected);
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] == r.Acc[i]) continue;
            int o = r.Workload.OutFeatures;
            err.WriteLine($"sim: MISMATCH at acc[{i / o}, {i % o}]: simulator {r.Acc[i]}, reference BitLinear {expected[i]}");
            return ExitCodes.Mismatch;
        }
        return ExitCodes.Ok;
    }

    private sealed class StderrProgress(TextWriter err) : IProgress<double>
    {
        public void Report(double fraction) =>
            err.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sim: {Math.Min(fraction, 1) * 100:F0}% of the predicted cycles"));
    }
}
