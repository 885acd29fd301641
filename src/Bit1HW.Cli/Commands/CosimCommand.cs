using System.CommandLine;
using System.Diagnostics;
using Bit1HW.CoSim;
using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.Flows;
using Bit1HW.Sim;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw cosim</c>: one layer three ways — Core's BitLinear, the C# simulator and the generated
/// RTL under Verilator — with every top-level port compared on every cycle (docs/verification.md).
/// </summary>
internal static class CosimCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Hardware config JSON (default: the built-in default)" };
        var input = new Option<string>("--in") { Description = "Layer file: F32 'weight' [out, in] and 'input' [tokens, in] (see make-layer)", Required = true };
        var method = new Option<string>("--method") { Description = "Weight scale: absmean or median", DefaultValueFactory = _ => "absmean" };
        method.AcceptOnlyFromAmong("absmean", "median");
        var vcd = new Option<string?>("--vcd") { Description = "Directory for sim.vcd and rtl.vcd of the whole run (always written on a mismatch, default build/cosim-mismatch)" };
        var quiet = new Option<bool>("--quiet") { Description = "Only the verdict line" };
        var memory = new Option<string>("--memory")
        {
            Description = "Streaming configs: the memory behind the AXI port: nominal (the timing model), slower (first beat 2L+5, half rate) or backpressure (30 % random arready/rvalid gaps)",
            DefaultValueFactory = _ => "nominal",
        };
        memory.AcceptOnlyFromAmong("nominal", "slower", "backpressure");
        var latency = new Option<int>("--latency") { Description = "Streaming configs: first-beat latency L of the timing model, in cycles", DefaultValueFactory = _ => 24 };
        var memorySeed = new Option<ulong>("--memory-seed") { Description = "Streaming configs: seed of --memory backpressure", DefaultValueFactory = _ => 1 };
        var cmd = new Command("cosim",
            "Co-simulate one layer: software reference vs C# simulator vs Verilator (bit-exact outputs, exact cycles, every port every cycle). Exit 1 on any mismatch.\n\n" +
            "Example:\n  bit1hw make-layer --out build/layer.safetensors --out-features 64 --in-features 256 --tokens 4 --seed 1\n" +
            "  bit1hw cosim --in build/layer.safetensors\n" +
            "  bit1hw cosim --in build/layer.safetensors --config docs/examples/stream-small.json --memory backpressure --memory-seed 7")
        { config, input, method, vcd, quiet, memory, latency, memorySeed };
        cmd.SetAction(parse => Run(parse.GetValue(config), parse.GetValue(input)!, parse.GetValue(method)!,
            parse.GetValue(vcd), parse.GetValue(quiet), Memory(parse.GetValue(memory)!, parse.GetValue(latency), parse.GetValue(memorySeed)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return cmd;
    }

    /// <summary>The memory model of the flags (a bad latency is a one-line error naming --latency).</summary>
    private static Func<MemoryModel> Memory(string kind, int latency, ulong seed) => () =>
    {
        MemoryTiming timing = new MemoryTiming(latency).Validate("--latency");
        return kind switch
        {
            "nominal" => MemoryModel.Nominal(timing),
            "slower" => MemoryModel.Slower(timing),
            "backpressure" => MemoryModel.RandomBackpressure(timing, seed),
            _ => throw new UnreachableException(kind),
        };
    };

    private static int Run(string? configPath, string inPath, string methodName, string? vcdDir, bool quiet, Func<MemoryModel> memoryOf,
        TextWriter o, TextWriter err)
    {
        var sw = Stopwatch.StartNew();
        HardwareConfig cfg = HardwareConfig.LoadOrDefault(configPath);
        MemoryModel? memory = cfg.IsStreaming ? memoryOf() : null;
        HardwareLayer hl = HardwareLayer.Load(inPath, cfg, LayerFiles.ParseMethod(methodName));
        ProgramImage image = LayerCompiler.Compile(hl.Layer, cfg).Image;
        var (acc, _) = hl.Reference();
        long[] reference = acc.Select(a => (long)a).ToArray();
        DesignUnderTest design = DesignUnderTest.Build(cfg, quiet ? null : err);
        CaseReport r;
        using (var sim = design.NewSimulator())
        using (var rtl = design.NewVerilator())
            r = CoSimulation.RunCase(hl.Layer, image, [sim, rtl], reference, memory);
        var s = hl.Layer.Shape;
        if (!quiet)
        {
            o.WriteLine($"cosim {cfg.Tag}: layer tokens={s.Tokens} out={s.OutFeatures} in={s.InFeatures}");
            if (memory is not null) o.WriteLine($"  memory             {memory}");
            o.WriteLine(memory is null ? $"  predicted cycles   {image.PredictedCycles}"
                : memory.HasBackpressure ? $"  static cycles      {image.PredictedCycles} (stalls depend on the random gaps)"
                : $"  predicted cycles   {r.PredictedCycles} ({image.PredictedCycles} static + {r.PredictedCycles - image.PredictedCycles} stalls)");
            foreach (var run in r.Lockstep.Runs)
                o.WriteLine(memory is null ? $"  {run.Model,-18} {run.BusyCycles} busy cycles" : $"  {run.Model,-18} {run.BusyCycles} busy cycles, {run.StallCycles} stalls");
            o.WriteLine($"  ports compared     busy done dbg_pc dbg_acc_en host_rdata{(memory is null ? "" : " dbg_stall axi_error m_axi_ar* m_axi_rready")} on {r.Lockstep.CyclesRun} cycles");
            if (memory is not null) o.WriteLine("  AXI protocol       checked on both models' read channels");
            o.WriteLine($"  outputs compared   {reference.Length} accumulators vs Core BitLinear");
        }
        string? dir = vcdDir ?? (r.Agrees ? null : Path.Combine("build", "cosim-mismatch"));
        if (dir is not null)
        {
            var (simVcd, rtlVcd) = TracingRun.Write(design, hl.Layer, image, dir, quiet ? null : err, memory);
            o.WriteLine($"  waveforms          {simVcd} {rtlVcd}");
        }
        if (r.Agrees)
        {
            o.WriteLine($"three-way agreement: reference = simulator = verilator, {r.Lockstep.Runs[0].BusyCycles} cycles ({sw.Elapsed.TotalSeconds:F1} s)");
            return ExitCodes.Ok;
        }
        o.WriteLine($"MISMATCH: {r.Describe()}");
        return ExitCodes.Mismatch;
    }
}
