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
        var json = Flags.Json("the summary (configuration, top module, files)");
        var cmd = new Command("gen", "Generate synthesizable Verilog (one file per module) and manifest.json.")
            .WithExamples("bit1hw gen --config docs/examples/default.json --out rtl-out/default", "bit1hw gen --lanes 13 --out build/rtl-l13");
        cfgOpts.AddTo(cmd);
        cmd.Add(outDir);
        cmd.Add(json);
        cmd.SetAction(parse =>
        {
            HardwareConfig cfg = cfgOpts.Read(parse);
            string dir = parse.GetValue(outDir)!;
            var files = RtlGenerator.Generate(cfg);
            AtomicFile.WriteDirectory(dir, files.Select(f => (f.RelativePath, f.Text)).ToList(), marker: "manifest.json");
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
                CliJson.Write(o, new { tag = cfg.Tag, top = RtlGenerator.TopModule(cfg), peLatencyCycles = cfg.PeLatencyCycles, dir, files = files.Select(f => f.RelativePath) });
            else
                o.WriteLine($"gen: {cfg.Tag}: {files.Count} files in {dir} (top {RtlGenerator.TopModule(cfg)}, PE latency {cfg.PeLatencyCycles} cycles)");
            return 0;
        });
        return cmd;
    }
}
