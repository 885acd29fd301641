using System.CommandLine;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.HdlGen;
using Bit1HW.HdlGen.Gen;

namespace Bit1HW.Cli.Commands;

/// <summary><c>bit1hw gen</c>: writes the engine's Verilog and manifest.json for one configuration.</summary>
internal static class GenCommand
{
    public static Command Create()
    {
        var cfgOpts = new ConfigOptions();
        var variantOpts = new VariantOptions();
        var outDir = new Option<string>("--out") { Description = "Output directory (created; files replaced atomically)", Required = true };
        var json = Flags.Json("the summary (configuration, target, top module, files)");
        var cmd = new Command("gen", "Generate synthesizable Verilog (one file per module) and manifest.json; for ice40-up5k also " +
            "sim-models/, behavioural models of the iCE40 cells for Verilator and Icarus (never for synthesis).")
            .WithExamples("bit1hw gen --config docs/examples/default.json --out rtl-out/default", "bit1hw gen --lanes 13 --out build/rtl-l13",
                "bit1hw gen --target ice40-up5k --accumulators mac16 --out build/rtl/icebreaker");
        cfgOpts.AddTo(cmd);
        variantOpts.AddTo(cmd);
        cmd.Add(outDir);
        cmd.Add(json);
        cmd.SetAction(parse =>
        {
            RtlVariant variant = variantOpts.Read(parse);
            HardwareConfig cfg = cfgOpts.Read(parse, RtlVariant.DefaultConfig(variant.Target));
            string dir = parse.GetValue(outDir)!;
            var files = RtlGenerator.Generate(cfg, variant);
            AtomicFile.WriteDirectory(dir, files.Select(f => (f.RelativePath, f.Text)).ToList(), marker: "manifest.json");
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
                CliJson.Write(o, new { tag = cfg.Tag, target = RtlVariant.Name(variant.Target), accumulators = RtlVariant.Name(variant.Accumulators),
                    top = RtlGenerator.TopModule(cfg), peLatencyCycles = cfg.PeLatencyCycles, dir, files = files.Select(f => f.RelativePath) });
            else
            {
                o.WriteLine($"gen: {cfg.Tag} ({variant}): {files.Count} files in {dir} (top {RtlGenerator.TopModule(cfg)}, PE latency {cfg.PeLatencyCycles} cycles)");
                foreach (var p in MemoryPlan.For(cfg, variant.Target).Where(p => p.Sprams > 0))
                    o.WriteLine($"gen: {p.Memory}: bits [{p.SpramBits - 1}:0] in {p.Sprams} SB_SPRAM256KA" +
                        (p.BlockRamBits > 0 ? $", [{p.WordBits - 1}:{p.SpramBits}] in block RAM" : ""));
            }
            return 0;
        });
        return cmd;
    }
}
