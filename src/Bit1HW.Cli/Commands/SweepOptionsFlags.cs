using System.CommandLine;
using Bit1HW.Flows.Sweeps;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// The flags of every command that runs a synthesis sweep (issue 15: explore, and sweeps of
/// points): how many points run at once on this machine. Adds them to a command and builds
/// <see cref="SweepOptions"/> from the parse.
/// </summary>
internal sealed class SweepOptionsFlags
{
    public Option<int> Workers { get; } = Flags.Count("--workers", "Synthesis points run at the same time on this machine", 1);

    public void AddTo(Command cmd) => cmd.Add(Workers);

    public SweepOptions Read(ParseResult parse, string dir) => new(dir) { Workers = parse.GetValue(Workers) };
}
