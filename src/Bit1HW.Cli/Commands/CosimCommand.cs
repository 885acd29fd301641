using System.CommandLine;
using System.Diagnostics;
using Bit1HW.CoSim;
using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.Flows;
using Bit1HW.HdlGen.Gen;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw cosim</c>: one layer three ways — Core's BitLinear, the C# simulator and the generated
/// RTL under Verilator — with every top-level port compared on every cycle (docs/verification.md).
/// </summary>
internal static class CosimCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Hardware config JSON (default: the built-in default; with --target ice40-up5k the iCEBreaker configuration)" };
        var input = new Option<string>("--in") { Description = "Layer file: F32 'weight' [out, in] and 'input' [tokens, in] (see make-layer)", Required = true };
        var method = new Option<string>("--method") { Description = "Weight scale: absmean or median", DefaultValueFactory = _ => "absmean" };
        method.AcceptOnlyFromAmong("absmean", "median");
        var vcd = new Option<string?>("--vcd") { Description = "Directory for sim.vcd and rtl.vcd of the whole run (always written on a mismatch, default build/cosim-mismatch)" };
        var quiet = new Option<bool>("--quiet") { Description = "Only the verdict line" };
        var variantOpts = new VariantOptions();
        var cmd = new Command("cosim",
            "Co-simulate one layer: software reference vs C# simulator vs Verilator (bit-exact outputs, exact cycles, every port every cycle). Exit 1 on any mismatch.\n\n" +
            "Example:\n  bit1hw make-layer --out build/layer.safetensors --out-features 64 --in-features 256 --tokens 4 --seed 1\n" +
            "  bit1hw cosim --in build/layer.safetensors\n" +
            "  bit1hw cosim --in build/layer.safetensors --target ice40-up5k --accumulators mac16   # the iCEBreaker RTL (SPRAM, SB_MAC16)")
        { config, input, method, vcd, quiet };
        variantOpts.AddTo(cmd);
        cmd.SetAction(parse => Run(parse.GetValue(config), variantOpts.Read(parse), parse.GetValue(input)!, parse.GetValue(method)!,
            parse.GetValue(vcd), parse.GetValue(quiet), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return cmd;
    }

    private static int Run(string? configPath, RtlVariant variant, string inPath, string methodName, string? vcdDir, bool quiet, TextWriter o, TextWriter err)
    {
        var sw = Stopwatch.StartNew();
        HardwareConfig cfg = configPath is null ? RtlVariant.DefaultConfig(variant.Target) : HardwareConfig.Load(configPath);
        HardwareLayer hl = HardwareLayer.Load(inPath, cfg, LayerFiles.ParseMethod(methodName));
        ProgramImage image = LayerCompiler.Compile(hl.Layer, cfg).Image;
        var (acc, _) = hl.Reference();
        long[] reference = acc.Select(a => (long)a).ToArray();
        DesignUnderTest design = DesignUnderTest.Build(cfg, quiet ? null : err, variant: variant);
        CaseReport r;
        using (var sim = design.NewSimulator())
        using (var rtl = design.NewVerilator())
            r = CoSimulation.RunCase(hl.Layer, image, [sim, rtl], reference);
        var s = hl.Layer.Shape;
        if (!quiet)
        {
            o.WriteLine($"cosim {design.Description}: layer tokens={s.Tokens} out={s.OutFeatures} in={s.InFeatures}");
            o.WriteLine($"  predicted cycles   {image.PredictedCycles}");
            foreach (var run in r.Lockstep.Runs) o.WriteLine($"  {run.Model,-18} {run.BusyCycles} busy cycles");
            o.WriteLine($"  ports compared     busy done dbg_pc dbg_acc_en host_rdata on {r.Lockstep.CyclesRun} cycles");
            o.WriteLine($"  outputs compared   {reference.Length} accumulators vs Core BitLinear");
        }
        string? dir = vcdDir ?? (r.Agrees ? null : Path.Combine("build", "cosim-mismatch"));
        if (dir is not null)
        {
            var (simVcd, rtlVcd) = TracingRun.Write(design, hl.Layer, image, dir, quiet ? null : err);
            o.WriteLine($"  waveforms          {simVcd} {rtlVcd}");
        }
        if (r.Agrees)
        {
            o.WriteLine($"three-way agreement: reference = simulator = verilator, {image.PredictedCycles} cycles ({sw.Elapsed.TotalSeconds:F1} s)");
            return ExitCodes.Ok;
        }
        o.WriteLine($"MISMATCH: {r.Describe()}");
        return ExitCodes.Mismatch;
    }
}
