using System.CommandLine;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.HdlGen;

namespace Bit1HW.Cli.Commands;

/// <summary><c>bit1hw gen</c>: writes the engine's Verilog and manifest.json for one configuration.</summary>
internal static class GenCommand
{
    public static Command Create()
    {
        var cfgOpts = new ConfigOptions();
        var outDir = new Option<string>("--out") { Description = "Output directory (created; files replaced atomically)", Required = true };
        var cmd = new Command("gen", "Generate synthesizable Verilog (one file per module) and manifest.json.\n\nExample:\n  bit1hw gen --config docs/examples/default.json --out rtl-out/default");
        cfgOpts.AddTo(cmd);
        cmd.Add(outDir);
        cmd.SetAction(parse =>
        {
            HardwareConfig cfg = cfgOpts.Read(parse);
            string dir = parse.GetValue(outDir)!;
            var files = RtlGenerator.Generate(cfg);
            AtomicFile.WriteDirectory(dir, files.Select(f => (f.RelativePath, f.Text)).ToList(), marker: "manifest.json");
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine($"gen: {cfg.Tag}: {files.Count} files in {dir} (top {RtlGenerator.TopModule(cfg)}, PE latency {cfg.PeLatencyCycles} cycles)");
            return 0;
        });
        return cmd;
    }
}
