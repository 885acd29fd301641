using System.CommandLine;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Cli.Commands;

/// <summary><c>bit1hw synth</c>: runs the FPGA flow on one configuration and writes a report.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var cfgOpts = new ConfigOptions();
        var target = new Option<string>("--target") { Description = "ice40-up5k (yosys + nextpnr-ice40, iCEBreaker) or xc7 (yosys synth_xilinx -abc9)", Required = true };
        var outDir = new Option<string?>("--out") { Description = "Report directory (default build/synth/<tag>-<target>); tool files go to its work/ subdirectory" };
        var cmd = new Command("synth", "Synthesize a configuration with yosys (and place it with nextpnr on iCE40); report LUTs, FFs, BRAMs, DSPs, Fmax.\n\nExample:\n  bit1hw synth --target ice40-up5k --config docs/examples/ice40.json --out build/synth/ice40");
        cfgOpts.AddTo(cmd);
        cmd.Add(target);
        cmd.Add(outDir);
        var yosysOnly = new Option<bool>("--yosys-only") { Description = "Skip nextpnr (cell counts only, no Fmax)" };
        cmd.Add(yosysOnly);
        cmd.SetAction(parse =>
        {
            SynthTarget t = SynthFlow.ParseTarget(parse.GetValue(target)!);
            HardwareConfig cfg = cfgOpts.Read(parse);
            string dir = parse.GetValue(outDir) ?? Path.Combine("build", "synth", $"{cfg.Tag}-{SynthFlow.TargetName(t)}");
            var o = parse.InvocationConfiguration.Output;
            string pcf = Path.Combine(AppContext.BaseDirectory, "constraints", "icebreaker.pcf");
            SynthReport r = SynthFlow.Run(cfg, t, Path.Combine(dir, "work"), pcf, o.WriteLine, !parse.GetValue(yosysOnly));
            AtomicFile.WriteAllText(Path.Combine(dir, "report.json"), SynthReportWriter.Json(r));
            string table = SynthReportWriter.Table(r);
            AtomicFile.WriteAllText(Path.Combine(dir, "report.txt"), table);
            o.Write(table);
            o.WriteLine($"synth: report in {Path.Combine(dir, "report.json")} and report.txt");
            return 0;
        });
        return cmd;
    }
}
