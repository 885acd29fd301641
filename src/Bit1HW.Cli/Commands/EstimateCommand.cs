using System.CommandLine;
using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Text;
using Bit1HW.Energy.Technology;
using Bit1HW.Flows;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw estimate</c>: tokens/s, the roofline, weight-stream efficiency and J/token of a model on
/// a streaming engine at a clock and a memory bandwidth, from the compiler's schedule and stall
/// predictor alone (no simulation; docs/performance.md, "Estimate").
/// </summary>
internal static class EstimateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A shipped model id (bit1hw energy lists them), a Hugging Face config.json or a .gguf file", Required = true };
        var hardware = new ConfigOptions();
        var clock = new Option<double>("--clock-mhz") { Description = "Engine clock in MHz", Required = true };
        var bandwidth = new Option<double>("--bandwidth-gbs") { Description = "Sustained memory bandwidth in GB/s (10^9 bytes/s); capped at the AXI port's peak", Required = true };
        var latency = new Option<double>("--latency-ns") { Description = "First-beat latency of a burst in ns", DefaultValueFactory = _ => 120 };
        var node = new Option<string>("--node") { Description = "Technology node for the energy (bit1hw energy lists them)", DefaultValueFactory = _ => "7nm" };
        var json = Flags.Json("the estimate");
        var cmd = new Command("estimate", "Decode speed of a model on a weight-streaming engine: tokens/s, roofline, stream efficiency, J/token with DRAM traffic.")
            .WithExamples("bit1hw estimate --model bitnet-b1.58-2b-4t --config docs/examples/kv260-stream.json --clock-mhz 250 --bandwidth-gbs 12.8",
                "bit1hw estimate --model build/tiny.gguf --config docs/examples/kv260-stream-base3.json --clock-mhz 250 --bandwidth-gbs 12.8 --json");
        cmd.Add(model);
        hardware.AddTo(cmd);
        foreach (Option o in new Option[] { clock, bandwidth, latency, node, json }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            var memory = new MemorySystem(parse.GetValue(clock) * 1e6, parse.GetValue(bandwidth) * 1e9, parse.GetValue(latency)).Validate();
            HardwareConfig hw = hardware.Read(parse);
            TechnologyNode tech = TechnologyNode.Resolve(parse.GetValue(node)!);
            ModelShape shape = ModelShape.Resolve(parse.GetValue(model)!);
            StreamEstimate e = StreamEstimator.Estimate(shape, hw, memory, tech);
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) CliJson.Write(o, Json(e));
            else Print(o, e);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static object Json(StreamEstimate e) => new
    {
        model = e.Model.Name, blocks = e.Model.Layers, weightsPerToken = e.Model.WeightsPerToken, hardware = e.Config.Tag,
        clockMhz = e.Memory.ClockHz / 1e6, bandwidthGBs = e.Memory.BandwidthBytesPerSecond / 1e9,
        timing = new { firstBeatLatencyCycles = e.Timing.FirstBeatLatencyCycles, beatsPerCycleNum = e.Timing.BeatsPerCycleNum, beatsPerCycleDen = e.Timing.BeatsPerCycleDen },
        projections = e.Projections.Select(p => new
        {
            name = p.Projection.Name, outFeatures = p.Projection.OutFeatures, inFeatures = p.Projection.InFeatures, runs = p.Runs,
            computeCycles = p.ComputeCycles, stallCycles = p.StallCycles, hostCycles = p.HostCycles, streamBytes = p.StreamBytes,
        }),
        cyclesPerToken = e.CyclesPerToken, computeCyclesPerToken = e.ComputeCyclesPerToken, stallCyclesPerToken = e.StallCyclesPerToken,
        hostCyclesPerToken = e.HostCyclesPerToken, tokensPerSecond = e.TokensPerSecond,
        bound = e.BandwidthBound ? "bandwidth" : "compute", memoryWeightsPerCycle = e.MemoryWeightsPerCycle, computeWeightsPerCycle = e.ComputeWeightsPerCycle,
        rooflineTokensPerSecond = e.RooflineTokensPerSecond, streamEfficiency = e.StreamEfficiency, bytesPerToken = e.BytesPerToken,
        externalBytes = e.ExternalBytes, node = e.Node.Name, joulesPerToken = e.JoulesPerToken,
        dramPicojoulesPerToken = e.DramPicojoulesPerToken, ringPicojoulesPerToken = e.RingPicojoulesPerToken, arithmeticPicojoulesPerToken = e.ArithmeticPicojoulesPerToken,
    };

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    internal static void Print(TextWriter o, StreamEstimate e)
    {
        MemoryTiming t = e.Timing;
        o.WriteLine(string.Create(Inv, $"model {e.Model.Name}: {e.Model.Layers} blocks, {e.Model.WeightsPerToken} ternary weights per token"));
        o.WriteLine(string.Create(Inv, $"engine {e.Config.Tag} at {e.Memory.ClockHz / 1e6:0.###} MHz; memory {e.Memory.BandwidthBytesPerSecond / 1e9:0.###} GB/s = " +
            $"{t.BeatsPerCycleNum}/{t.BeatsPerCycleDen} beats per cycle of {e.Config.Stream!.AxiDataBits / 8} bytes, first beat after {t.FirstBeatLatencyCycles} cycles"));
        var table = new TextTable(new TextColumn("projection", Width: 10), new TextColumn("shape", Width: 11),
            new TextColumn("runs", AlignRight: true, Width: 4), new TextColumn("compute", AlignRight: true, Width: 10),
            new TextColumn("stall", AlignRight: true, Width: 10), new TextColumn("host", AlignRight: true, Width: 8),
            new TextColumn("stream bytes", AlignRight: true, Width: 12)) { Separator = " " };
        o.Write(table.FormatHeader());
        foreach (ProjectionEstimate p in e.Projections)
            o.Write(table.FormatRow(p.Projection.Name, $"{p.Projection.OutFeatures}x{p.Projection.InFeatures}", p.Runs.ToString(Inv),
                p.ComputeCycles.ToString(Inv), p.StallCycles.ToString(Inv), p.HostCycles.ToString(Inv), p.StreamBytes.ToString(Inv)));
        o.WriteLine(string.Create(Inv, $"cycles per token   {e.CyclesPerToken} = compute {e.ComputeCyclesPerToken} + stall {e.StallCyclesPerToken} + host {e.HostCyclesPerToken} (per block × {e.Model.Layers})"));
        o.WriteLine(string.Create(Inv, $"tokens/s           {e.TokensPerSecond:0.00}"));
        o.WriteLine(string.Create(Inv, $"roofline           {(e.BandwidthBound ? "bandwidth-bound" : "compute-bound")}: memory {e.MemoryWeightsPerCycle:0.#} weights/cycle, " +
            $"PE array {e.ComputeWeightsPerCycle:0} weights/cycle; bound {e.RooflineTokensPerSecond:0.00} tokens/s"));
        o.WriteLine(string.Create(Inv, $"stream efficiency  {100 * e.StreamEfficiency:0.0} % (weight bytes per busy cycle / memory bytes per cycle); {e.BytesPerToken} bytes per token, {e.ExternalBytes} bytes of external memory"));
        o.WriteLine(string.Create(Inv, $"energy per token   {e.JoulesPerToken * 1e3:0.000} mJ at {e.Node.Name}: DRAM {e.DramPicojoulesPerToken * 1e-9:0.000} mJ, " +
            $"ring SRAM {e.RingPicojoulesPerToken * 1e-9:0.000} mJ, additions {e.ArithmeticPicojoulesPerToken * 1e-9:0.000} mJ"));
    }
}
