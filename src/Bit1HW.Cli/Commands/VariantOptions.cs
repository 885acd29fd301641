using System.CommandLine;
using Bit1HW.HdlGen.Gen;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// The RTL-variant options of gen and cosim: <c>--target generic|ice40-up5k</c> (the iCE40 UP5K
/// variant holds memory words in SPRAM; given without --config it also selects the iCEBreaker
/// configuration) and <c>--accumulators fabric|mac16</c> (SB_MAC16 accumulators, ice40-up5k only).
/// </summary>
internal sealed class VariantOptions
{
    public Option<string> Target { get; } = new("--target")
    {
        Description = "RTL target: generic (inferred memories) or ice40-up5k (SPRAM; without --config, the iCEBreaker configuration docs/examples/icebreaker.json)",
        DefaultValueFactory = _ => "generic",
    };

    public Option<string> Accumulators { get; } = AccumulatorsOption();

    /// <summary>--accumulators, shared with synth (whose --target names the FPGA flow instead).</summary>
    public static Option<string> AccumulatorsOption() => new("--accumulators")
    {
        Description = "fabric (LUTs and carry chains) or mac16 (one iCE40 SB_MAC16 per row; ice40-up5k only)",
        DefaultValueFactory = _ => "fabric",
    };

    public void AddTo(Command cmd)
    {
        cmd.Add(Target);
        cmd.Add(Accumulators);
    }

    public RtlVariant Read(ParseResult parse) =>
        new RtlVariant(RtlVariant.ParseTarget(parse.GetValue(Target)!), RtlVariant.ParseAccumulators(parse.GetValue(Accumulators)!)).Validate();
}
