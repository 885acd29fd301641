using System.CommandLine;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw synth</c>: runs the FPGA flow on one configuration and writes report.json and
/// report.txt. Progress goes to stderr, so stdout is the report alone (text, or JSON with --json).
/// Every flag and the config are checked before any tool runs.
/// </summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var cfgOpts = new ConfigOptions();
        var target = new Option<string>("--target") { Description = "ice40-up5k (yosys synth_ice40 -dsp + nextpnr-ice40 on the iCEBreaker) or xc7 (yosys synth_xilinx -flatten, counted against the XC7A35T)", Required = true };
        var outDir = new Option<string?>("--out") { Description = "Report directory (default build/synth/<tag>-<target>); tool files go to its work/ subdirectory" };
        var yosysOnly = new Option<bool>("--yosys-only") { Description = "Skip nextpnr (cell counts only, no Fmax)" };
        var seeds = Flags.Count("--seeds", $"nextpnr runs, seeds 1..N, one after another; Fmax is their median (1..{SynthOptions.MaxSeeds})", 3);
        var targetMhz = new Option<double>("--target-mhz") { Description = "Frequency nextpnr is asked for; keep it above what the design reaches", DefaultValueFactory = _ => 100 };
        var json = Flags.Json("the report (the contents of report.json)");
        var quiet = Flags.Quiet();
        var accumulators = VariantOptions.AccumulatorsOption();
        var cmd = new Command("synth", "Synthesize with yosys (and nextpnr on iCE40): every cell kind, the use of the part, the median Fmax of several seeds. " +
            "On ice40-up5k the engine is generated for the part (memory words in SPRAM where the block RAMs run out) and, without --config, " +
            "is the iCEBreaker configuration (docs/examples/icebreaker.json).")
            .WithExamples("bit1hw synth --target ice40-up5k --out build/synth/icebreaker",
                "bit1hw synth --target ice40-up5k --config docs/examples/bench.json --accumulators mac16 --yosys-only",
                "bit1hw synth --target xc7 --config docs/examples/bench.json --pe mac --json");
        cfgOpts.AddTo(cmd);
        cmd.Add(target);
        cmd.Add(outDir);
        cmd.Add(yosysOnly);
        cmd.Add(seeds);
        cmd.Add(targetMhz);
        cmd.Add(json);
        cmd.Add(quiet);
        cmd.Add(accumulators);
        cmd.SetAction(parse =>
        {
            SynthTarget t = SynthTargets.Parse(parse.GetValue(target)!);
            var checkedOpt = new SynthOptions(t)
            {
                Accumulators = RtlVariant.ParseAccumulators(parse.GetValue(accumulators)!),
                PlaceAndRoute = !parse.GetValue(yosysOnly),
                Seeds = parse.GetValue(seeds),
                TargetMhz = parse.GetValue(targetMhz),
                PcfPath = Path.Combine(AppContext.BaseDirectory, "constraints", "icebreaker.pcf"),
            }.Validate();
            HardwareConfig cfg = cfgOpts.Read(parse, RtlVariant.DefaultConfig(checkedOpt.Variant.Target));
            using var status = Flags.Status(parse, parse.GetValue(quiet));
            var opt = checkedOpt with { ToolOutput = status.Mode == Terminal.DisplayMode.Live ? status.Detail : null };
            string dir = parse.GetValue(outDir) ?? Path.Combine("build", "synth", $"{cfg.Tag}-{SynthTargets.Name(t)}");
            var o = parse.InvocationConfiguration.Output;
            var err = parse.InvocationConfiguration.Error;
            SynthReport r = SynthFlow.Run(cfg, opt, Path.Combine(dir, "work"), status.Step);
            status.Dispose();
            string reportJson = SynthReportWriter.Json(r), table = SynthReportWriter.Table(r);
            AtomicFile.WriteAllText(Path.Combine(dir, "report.json"), reportJson);
            AtomicFile.WriteAllText(Path.Combine(dir, "report.txt"), table);
            o.Write(parse.GetValue(json) ? reportJson : table);
            if (!parse.GetValue(quiet)) err.WriteLine($"synth: report in {Path.Combine(dir, "report.json")} and report.txt");
            return 0;
        });
        return cmd;
    }
}
