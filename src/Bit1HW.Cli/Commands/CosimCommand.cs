using System.CommandLine;
using System.Diagnostics;
using Bit1HW.CoSim;
using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Flows;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw cosim</c>: one layer three ways — Core's BitLinear, the C# simulator and the generated
/// RTL under Verilator — with every top-level port compared on every cycle (docs/verification.md).
/// </summary>
internal static class CosimCommand
{
    private const string Ports = "busy done dbg_pc dbg_acc_en host_rdata";

    public static Command Create()
    {
        var cfgOpts = new ConfigOptions();
        var input = new Option<string>("--in") { Description = "Layer file: F32 'weight' [out, in] and 'input' [tokens, in] (see make-layer)", Required = true };
        var method = new Option<string>("--method") { Description = "Weight scale: absmean or median", DefaultValueFactory = _ => "absmean" };
        method.AcceptOnlyFromAmong("absmean", "median");
        var vcd = Flags.Vcd("sim.vcd and rtl.vcd of the whole run (always written on a mismatch, default build/cosim-mismatch)");
        var quiet = Flags.Quiet();
        var json = Flags.Json("the result");
        var cmd = new Command("cosim",
            "Co-simulate one layer: software reference vs C# simulator vs Verilator (every port every cycle); exit 1 on any mismatch.")
            .WithExamples("bit1hw make-layer --out build/layer.safetensors --out-features 64 --in-features 256 --tokens 4 --seed 1",
                "bit1hw cosim --in build/layer.safetensors --vcd build/waves");
        cfgOpts.AddTo(cmd);
        foreach (Option o in new Option[] { input, method, vcd, quiet, json }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            var sw = Stopwatch.StartNew();
            HardwareConfig cfg = cfgOpts.Read(parse);
            HardwareLayer hl = HardwareLayer.Load(parse.GetValue(input)!, cfg, LayerFiles.ParseMethod(parse.GetValue(method)!));
            ProgramImage image = LayerCompiler.Compile(hl.Layer, cfg).Image;
            long[] reference = hl.Reference().Acc.Select(a => (long)a).ToArray();
            using var status = Flags.Status(parse, parse.GetValue(quiet));
            status.Stage($"cosim: {cfg.Tag}: generating and building the RTL");
            DesignUnderTest design = DesignUnderTest.Build(cfg, status.Log, status: status);
            status.Stage($"cosim: {cfg.Tag}: {image.PredictedCycles} cycles three ways");
            CaseReport r;
            using (var sim = design.NewSimulator())
            using (var rtl = design.NewVerilator())
                r = CoSimulation.RunCase(hl.Layer, image, [sim, rtl], reference);
            string? dir = parse.GetValue(vcd) ?? (r.Agrees ? null : Path.Combine("build", "cosim-mismatch"));
            (string Sim, string Rtl)? waves = null;
            if (dir is not null)
            {
                status.Stage($"cosim: writing waveforms to {dir}");
                waves = TracingRun.Write(design, hl.Layer, image, dir, status.Log, status);
            }
            status.Dispose();
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) CliJson.Write(o, Json(cfg, hl, image, r, reference.Length, waves, sw.Elapsed));
            else Text(o, cfg, hl, image, r, reference.Length, waves, sw.Elapsed, parse.GetValue(quiet));
            return r.Agrees ? ExitCodes.Ok : ExitCodes.Mismatch;
        });
        return cmd;
    }

    private static object Json(HardwareConfig cfg, HardwareLayer hl, ProgramImage image, CaseReport r, int outputs,
        (string Sim, string Rtl)? waves, TimeSpan elapsed) => new
    {
        tag = cfg.Tag,
        tokens = hl.Layer.Shape.Tokens, outFeatures = hl.Layer.Shape.OutFeatures, inFeatures = hl.Layer.Shape.InFeatures,
        predictedCycles = image.PredictedCycles,
        runs = r.Lockstep.Runs.Select(x => new { model = x.Model, busyCycles = x.BusyCycles }),
        portsCompared = Ports.Split(' '),
        cyclesCompared = r.Lockstep.CyclesRun,
        outputsCompared = outputs,
        agrees = r.Agrees,
        mismatch = r.Agrees ? null : r.Describe(),
        waveforms = waves is { } w ? new { sim = w.Sim, rtl = w.Rtl } : null,
        seconds = Math.Round(elapsed.TotalSeconds, 3),
    };

    private static void Text(TextWriter o, HardwareConfig cfg, HardwareLayer hl, ProgramImage image, CaseReport r, int outputs,
        (string Sim, string Rtl)? waves, TimeSpan elapsed, bool quiet)
    {
        var s = hl.Layer.Shape;
        if (!quiet)
        {
            o.WriteLine($"cosim {cfg.Tag}: layer tokens={s.Tokens} out={s.OutFeatures} in={s.InFeatures}");
            o.WriteLine($"  predicted cycles   {image.PredictedCycles}");
            foreach (var run in r.Lockstep.Runs) o.WriteLine($"  {run.Model,-18} {run.BusyCycles} busy cycles");
            o.WriteLine($"  ports compared     {Ports} on {r.Lockstep.CyclesRun} cycles");
            o.WriteLine($"  outputs compared   {outputs} accumulators vs Core BitLinear");
        }
        if (waves is { } w) o.WriteLine($"  waveforms          {w.Sim} {w.Rtl}");
        o.WriteLine(r.Agrees
            ? $"three-way agreement: reference = simulator = verilator, {image.PredictedCycles} cycles ({elapsed.TotalSeconds:F1} s)"
            : $"MISMATCH: {r.Describe()}");
    }
}
