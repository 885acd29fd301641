using System.CommandLine;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Cli.Commands;

/// <summary><c>bit1hw info</c>: prints a hardware configuration with every derived width and latency.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Hardware config JSON (default: the built-in default configuration)" };
        var cmd = new Command("info", "Print a hardware configuration and its derived widths and latencies.\n\nExample:\n  bit1hw info --config docs/examples/default.json")
        {
            config,
        };
        cmd.SetAction(parse =>
        {
            HardwareConfig cfg = HardwareConfig.LoadOrDefault(parse.GetValue(config));
            var o = parse.InvocationConfiguration.Output;
            o.Write(cfg.ToJson());
            o.WriteLine();
            o.WriteLine($"tag              {cfg.Tag}");
            o.WriteLine($"pe latency       {cfg.PeLatencyCycles} cycles (lane-term register + {cfg.TreeLevels} adder-tree levels, pipeEvery {cfg.PipeEvery})");
            o.WriteLine($"fetch            {cfg.FetchCycles} cycles before instruction 0");
            o.WriteLine($"repeat counter   {cfg.RepeatBits} bits (NOP/MAC n <= {(1L << cfg.RepeatBits) - 1})");
            o.WriteLine($"pe output        {cfg.PeOutBits} bits");
            o.WriteLine($"accumulator      {cfg.AccBits} bits (maxK {cfg.MaxK})");
            o.WriteLine($"weight memory    {cfg.WeightDepth} x {cfg.WeightWordBits} bits");
            o.WriteLine($"activation mem   {cfg.ActDepth} x {cfg.ActWordBits} bits");
            o.WriteLine($"output memory    {cfg.OutDepth} x {cfg.OutWordBits} bits");
            o.WriteLine($"instruction mem  {cfg.InstrDepth} x 32 bits");
            return 0;
        });
        return cmd;
    }
}
