using System.CommandLine;
using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Text;
using Bit1HW.Flows;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw bench stream</c>: a large projection streamed through the AXI port on the
/// cycle-accurate simulator; weight bytes per cycle against the port's peak, and the simulated cycles
/// against the compiler's prediction (docs/performance.md, "Weight streaming"). Exit 1 when the
/// outputs differ from the reference or the prediction is not exact.
/// </summary>
internal static class BenchStreamCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "A streaming hardware config JSON (default: the three built-in 512-bit-port engines)" };
        var outF = Flags.Count("--out-features", "Rows of the projection", StreamBench.DefaultShape.OutFeatures);
        var inF = Flags.Count("--in-features", "Columns of the projection", StreamBench.DefaultShape.InFeatures);
        var latency = Flags.Count("--latency", "First-beat latency in cycles of the nominal memory (one beat per cycle)", 24);
        var seed = Flags.Seed("Seed of the random ternary weights and activations", 20261130);
        var json = Flags.Json("the measurements");
        var cmd = new Command("stream", "Stream a projection's weights over AXI on the simulator: bytes per cycle vs the port's peak, cycles vs the prediction.")
            .WithExamples("bit1hw bench stream",
                "bit1hw bench stream --config docs/examples/kv260-stream.json --out-features 6912 --in-features 2560");
        foreach (Option o in new Option[] { config, outF, inF, latency, seed, json }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var timing = new MemoryTiming(parse.GetValue(latency)).Validate("--latency");
            IReadOnlyList<HardwareConfig> configs = parse.GetValue(config) is { } path ? [HardwareConfig.Load(path)] : StreamBench.StandardConfigs;
            var shape = new Workload(1, parse.GetValue(outF), parse.GetValue(inF));
            var results = configs.Select(c => StreamBench.Run(c, shape, timing, parse.GetValue(seed))).ToList();
            if (parse.GetValue(json)) CliJson.Write(o, new { outFeatures = shape.OutFeatures, inFeatures = shape.InFeatures, seed = parse.GetValue(seed),
                firstBeatLatencyCycles = timing.FirstBeatLatencyCycles, results = results.Select(Json) });
            else Print(o, shape, timing, parse.GetValue(seed), results);
            return results.All(r => r.OutputsMatch && r.PredictionExact) ? ExitCodes.Ok : ExitCodes.Mismatch;
        });
        return cmd;
    }

    private static object Json(StreamBenchResult r) => new
    {
        config = r.Config.Tag, cycles = r.Cycles, stallCycles = r.StallCycles, predictedCycles = r.Predicted.Cycles, predictedStallCycles = r.Predicted.StallCycles,
        weightBytes = r.WeightBytes, weightBytesPerCycle = r.WeightBytesPerCycle, portBytesPerCycle = r.PortBytesPerCycle,
        portEfficiency = r.PortEfficiency, outputsMatch = r.OutputsMatch, predictionExact = r.PredictionExact,
    };

    private static void Print(TextWriter o, Workload shape, MemoryTiming timing, ulong seed, IEnumerable<StreamBenchResult> results)
    {
        o.WriteLine(string.Create(Inv, $"[{shape.OutFeatures} x {shape.InFeatures}] projection, one token; memory: first beat {timing.FirstBeatLatencyCycles} cycles after the address, one beat per cycle; seed {seed}"));
        o.Write(Table.FormatHeader());
        foreach (StreamBenchResult r in results)
            o.Write(Table.FormatRow(r.Config.Tag, r.Cycles.ToString(Inv), r.StallCycles.ToString(Inv), r.Predicted.Cycles.ToString(Inv),
                r.WeightBytes.ToString(Inv), r.WeightBytesPerCycle.ToString("0.00", Inv), r.PortBytesPerCycle.ToString("0", Inv),
                (100 * r.PortEfficiency).ToString("0.0", Inv), r.OutputsMatch ? "yes" : "NO"));
    }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly TextTable Table = new(new TextColumn("config", Width: 30),
        new TextColumn("cycles", AlignRight: true, Width: 8), new TextColumn("stalls", AlignRight: true, Width: 7),
        new TextColumn("predicted", AlignRight: true, Width: 9), new TextColumn("weight bytes", AlignRight: true, Width: 12),
        new TextColumn("B/cycle", AlignRight: true, Width: 7), new TextColumn("port B/cycle", AlignRight: true, Width: 12),
        new TextColumn("% of peak", AlignRight: true, Width: 9), new TextColumn("acc = ref", AlignRight: true, Width: 9)) { Separator = " " };
}
