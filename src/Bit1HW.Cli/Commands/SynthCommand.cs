using System.CommandLine;

namespace Bit1HW.Cli.Commands;

internal static class SynthCommand
{
    public static Command Create() => new("synth", "not yet");
}
