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
        var outF = new Option<int>("--out-features") { Description = "Rows of the projection", DefaultValueFactory = _ => StreamBench.DefaultShape.OutFeatures };
        var inF = new Option<int>("--in-features") { Description = "Columns of the projection", DefaultValueFactory = _ => StreamBench.DefaultShape.InFeatures };
        var latency = new Option<int>("--latency") { Description = "First-beat latency in cycles of the nominal memory (one beat per cycle)", DefaultValueFactory = _ => 24 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random ternary weights and activations", DefaultValueFactory = _ => 20261130 };
        var cmd = new Command("stream", "Stream a projection's weights over AXI on the simulator: weight bytes per cycle vs the port's peak, cycles vs the prediction.\n\n" +
            "Example:\n  bit1hw bench stream\n  bit1hw bench stream --config docs/examples/kv260-stream.json --out-features 6912 --in-features 2560")
        {
            config, outF, inF, latency, seed,
        };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(outF) < 1) throw new UserInputException("--out-features", $"{parse.GetValue(outF)} must be at least 1");
            if (parse.GetValue(inF) < 1) throw new UserInputException("--in-features", $"{parse.GetValue(inF)} must be at least 1");
            var timing = new MemoryTiming(parse.GetValue(latency)).Validate("--latency");
            IReadOnlyList<HardwareConfig> configs = parse.GetValue(config) is { } path ? [HardwareConfig.Load(path)] : StreamBench.StandardConfigs;
            var shape = new Workload(1, parse.GetValue(outF), parse.GetValue(inF));
            o.WriteLine(string.Create(Inv, $"[{shape.OutFeatures} x {shape.InFeatures}] projection, one token; memory: first beat {timing.FirstBeatLatencyCycles} cycles after the address, one beat per cycle; seed {parse.GetValue(seed)}"));
            o.Write(Table.FormatHeader());
            bool ok = true;
            foreach (HardwareConfig c in configs)
            {
                StreamBenchResult r = StreamBench.Run(c, shape, timing, parse.GetValue(seed));
                ok &= r.OutputsMatch && r.PredictionExact;
                o.Write(Table.FormatRow(c.Tag, r.Cycles.ToString(Inv), r.StallCycles.ToString(Inv), r.Predicted.Cycles.ToString(Inv),
                    r.WeightBytes.ToString(Inv), r.WeightBytesPerCycle.ToString("0.00", Inv), r.PortBytesPerCycle.ToString("0", Inv),
                    (100 * r.PortEfficiency).ToString("0.0", Inv), r.OutputsMatch ? "yes" : "NO"));
            }
            return ok ? ExitCodes.Ok : ExitCodes.Mismatch;
        });
        return cmd;
    }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly TextTable Table = new(new TextColumn("config", Width: 30),
        new TextColumn("cycles", AlignRight: true, Width: 8), new TextColumn("stalls", AlignRight: true, Width: 7),
        new TextColumn("predicted", AlignRight: true, Width: 9), new TextColumn("weight bytes", AlignRight: true, Width: 12),
        new TextColumn("B/cycle", AlignRight: true, Width: 7), new TextColumn("port B/cycle", AlignRight: true, Width: 12),
        new TextColumn("% of peak", AlignRight: true, Width: 9), new TextColumn("acc = ref", AlignRight: true, Width: 9)) { Separator = " " };
}
