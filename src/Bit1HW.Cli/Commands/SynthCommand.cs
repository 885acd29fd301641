using System.CommandLine;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
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
        var cmd = new Command("synth", "Synthesize with yosys (and nextpnr on iCE40): every cell kind, the use of the part, the median Fmax of several seeds.")
            .WithExamples("bit1hw synth --target ice40-up5k --config docs/examples/ice40.json --out build/synth/ice40",
                "bit1hw synth --target xc7 --config docs/examples/bench.json --pe mac --json");
        cfgOpts.AddTo(cmd);
        cmd.Add(target);
        cmd.Add(outDir);
        cmd.Add(yosysOnly);
        cmd.Add(seeds);
        cmd.Add(targetMhz);
        cmd.Add(json);
        cmd.Add(quiet);
        cmd.SetAction(parse =>
        {
            SynthTarget t = SynthTargets.Parse(parse.GetValue(target)!);
            HardwareConfig cfg = cfgOpts.Read(parse);
            using var status = Flags.Status(parse, parse.GetValue(quiet));
            var opt = new SynthOptions(t)
            {
                ToolOutput = status.Mode == Terminal.DisplayMode.Live ? status.Detail : null,
                PlaceAndRoute = !parse.GetValue(yosysOnly),
                Seeds = parse.GetValue(seeds),
                TargetMhz = parse.GetValue(targetMhz),
                PcfPath = Path.Combine(AppContext.BaseDirectory, "constraints", "icebreaker.pcf"),
            }.Validate();
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
