using System.CommandLine;
using System.Diagnostics;
using Bit1HW.CoSim;
using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Flows;
using Bit1HW.HdlGen.Gen;
using Bit1HW.Sim;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw cosim</c>: one layer three ways — Core's BitLinear, the C# simulator and the generated
/// RTL under Verilator — with every top-level port compared on every cycle (docs/verification.md).
/// </summary>
internal static class CosimCommand
{
    private const string Ports = "busy done dbg_pc dbg_acc_en host_rdata";
    private const string StreamPorts = " dbg_stall axi_error m_axi_arvalid m_axi_araddr m_axi_arlen m_axi_arsize m_axi_arburst m_axi_rready";

    public static Command Create()
    {
        var cfgOpts = new ConfigOptions();
        var input = new Option<string>("--in") { Description = "Layer file: F32 'weight' [out, in] and 'input' [tokens, in] (see make-layer)", Required = true };
        var method = new Option<string>("--method") { Description = "Weight scale: absmean or median", DefaultValueFactory = _ => "absmean" };
        method.AcceptOnlyFromAmong("absmean", "median");
        var vcd = Flags.Vcd("sim.vcd and rtl.vcd of the whole run (always written on a mismatch, default build/cosim-mismatch)");
        var quiet = Flags.Quiet();
        var json = Flags.Json("the result");
        var variantOpts = new VariantOptions();
        var memory = new Option<string>("--memory")
        {
            Description = "Streaming configs: the memory behind the AXI port: nominal (the timing model), slower (first beat 2L+5, half rate) or backpressure (30 % random arready/rvalid gaps)",
            DefaultValueFactory = _ => "nominal",
        };
        memory.AcceptOnlyFromAmong("nominal", "slower", "backpressure");
        var latency = new Option<int>("--latency") { Description = "Streaming configs: first-beat latency L of the timing model, in cycles", DefaultValueFactory = _ => 24 };
        var memorySeed = new Option<ulong>("--memory-seed") { Description = "Streaming configs: seed of --memory backpressure", DefaultValueFactory = _ => 1 };
        var cmd = new Command("cosim",
            "Co-simulate one layer: software reference vs C# simulator vs Verilator (every port every cycle); exit 1 on any mismatch.")
            .WithExamples("bit1hw make-layer --out build/layer.safetensors --out-features 64 --in-features 256 --tokens 4 --seed 1",
                "bit1hw cosim --in build/layer.safetensors --vcd build/waves",
                "bit1hw cosim --in build/layer.safetensors --target ice40-up5k --accumulators mac16   # the iCEBreaker RTL (SPRAM, SB_MAC16)",
                "bit1hw cosim --in build/layer.safetensors --config docs/examples/stream-small.json --memory backpressure --memory-seed 7");
        cfgOpts.AddTo(cmd);
        variantOpts.AddTo(cmd);
        foreach (Option o in new Option[] { input, method, vcd, quiet, json, memory, latency, memorySeed }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            var sw = Stopwatch.StartNew();
            RtlVariant variant = variantOpts.Read(parse);
            HardwareConfig cfg = cfgOpts.Read(parse, RtlVariant.DefaultConfig(variant.Target));
            MemoryModel? mem = cfg.IsStreaming ? Memory(parse.GetValue(memory)!, parse.GetValue(latency), parse.GetValue(memorySeed)) : null;
            HardwareLayer hl = HardwareLayer.Load(parse.GetValue(input)!, cfg, LayerFiles.ParseMethod(parse.GetValue(method)!));
            ProgramImage image = LayerCompiler.Compile(hl.Layer, cfg).Image;
            long[] reference = hl.Reference().Acc.Select(a => (long)a).ToArray();
            using var status = Flags.Status(parse, parse.GetValue(quiet));
            status.Stage($"cosim: {cfg.Tag}: generating and building the RTL");
            DesignUnderTest design = DesignUnderTest.Build(cfg, status.Log, status: status, variant: variant);
            status.Stage($"cosim: {cfg.Tag}: {image.PredictedCycles} cycles three ways");
            CaseReport r;
            using (var sim = design.NewSimulator())
            using (var rtl = design.NewVerilator())
                r = CoSimulation.RunCase(hl.Layer, image, [sim, rtl], reference, mem);
            string? dir = parse.GetValue(vcd) ?? (r.Agrees ? null : Path.Combine("build", "cosim-mismatch"));
            (string Sim, string Rtl)? waves = null;
            if (dir is not null)
            {
                status.Stage($"cosim: writing waveforms to {dir}");
                waves = TracingRun.Write(design, hl.Layer, image, dir, status.Log, status, mem);
            }
            status.Dispose();
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) CliJson.Write(o, Json(cfg, variant, hl, image, r, reference.Length, waves, sw.Elapsed, mem));
            else Text(o, design.Description, hl, image, r, reference.Length, waves, sw.Elapsed, parse.GetValue(quiet), mem);
            return r.Agrees ? ExitCodes.Ok : ExitCodes.Mismatch;
        });
        return cmd;
    }

    /// <summary>The memory model of the flags (a bad latency is a one-line error naming --latency).</summary>
    private static MemoryModel Memory(string kind, int latency, ulong seed)
    {
        MemoryTiming timing = new MemoryTiming(latency).Validate("--latency");
        return kind switch
        {
            "nominal" => MemoryModel.Nominal(timing),
            "slower" => MemoryModel.Slower(timing),
            "backpressure" => MemoryModel.RandomBackpressure(timing, seed),
            _ => throw new UnreachableException(kind),
        };
    }

    private static object Json(HardwareConfig cfg, RtlVariant variant, HardwareLayer hl, ProgramImage image, CaseReport r, int outputs,
        (string Sim, string Rtl)? waves, TimeSpan elapsed, MemoryModel? memory) => new
    {
        tag = cfg.Tag,
        target = RtlVariant.Name(variant.Target),
        accumulators = RtlVariant.Name(variant.Accumulators),
        tokens = hl.Layer.Shape.Tokens, outFeatures = hl.Layer.Shape.OutFeatures, inFeatures = hl.Layer.Shape.InFeatures,
        predictedCycles = r.PredictedCycles,
        staticCycles = image.PredictedCycles,
        memory = memory?.ToString(),
        runs = r.Lockstep.Runs.Select(x => new { model = x.Model, busyCycles = x.BusyCycles, stallCycles = x.StallCycles }),
        portsCompared = (Ports + (memory is null ? "" : StreamPorts)).Split(' '),
        cyclesCompared = r.Lockstep.CyclesRun,
        outputsCompared = outputs,
        agrees = r.Agrees,
        mismatch = r.Agrees ? null : r.Describe(),
        waveforms = waves is { } w ? new { sim = w.Sim, rtl = w.Rtl } : null,
        seconds = Math.Round(elapsed.TotalSeconds, 3),
    };

    private static void Text(TextWriter o, string design, HardwareLayer hl, ProgramImage image, CaseReport r, int outputs,
        (string Sim, string Rtl)? waves, TimeSpan elapsed, bool quiet, MemoryModel? memory)
    {
        var s = hl.Layer.Shape;
        if (!quiet)
        {
            o.WriteLine($"cosim {design}: layer tokens={s.Tokens} out={s.OutFeatures} in={s.InFeatures}");
            if (memory is not null) o.WriteLine($"  memory             {memory}");
            o.WriteLine(memory is null ? $"  predicted cycles   {image.PredictedCycles}"
                : memory.HasBackpressure ? $"  static cycles      {image.PredictedCycles} (stalls depend on the random gaps)"
                : $"  predicted cycles   {r.PredictedCycles} ({image.PredictedCycles} static + {r.PredictedCycles - image.PredictedCycles} stalls)");
            foreach (var run in r.Lockstep.Runs)
                o.WriteLine(memory is null ? $"  {run.Model,-18} {run.BusyCycles} busy cycles" : $"  {run.Model,-18} {run.BusyCycles} busy cycles, {run.StallCycles} stalls");
            o.WriteLine(memory is null ? $"  ports compared     {Ports} on {r.Lockstep.CyclesRun} cycles"
                : $"  ports compared     {Ports} dbg_stall axi_error m_axi_ar* m_axi_rready on {r.Lockstep.CyclesRun} cycles");
            if (memory is not null) o.WriteLine("  AXI protocol       checked on both models' read channels");
            o.WriteLine($"  outputs compared   {outputs} accumulators vs Core BitLinear");
        }
        if (waves is { } w) o.WriteLine($"  waveforms          {w.Sim} {w.Rtl}");
        o.WriteLine(r.Agrees
            ? $"three-way agreement: reference = simulator = verilator, {r.Lockstep.Runs[0].BusyCycles} cycles ({elapsed.TotalSeconds:F1} s)"
            : $"MISMATCH: {r.Describe()}");
    }
}
