using System.CommandLine;

namespace Bit1HW.Cli.Commands;

/// <summary>Every subcommand of bit1hw, in the order --help lists them (the flow's order). Each lives in its own file.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> All()
    {
        yield return InfoCommand.Create();
        yield return MakeLayerCommand.Create();
        yield return QuantizeCommand.Create();
        yield return BitLinearCommand.Create();
        yield return GenCommand.Create();
        yield return SynthCommand.Create();
        yield return SweepCommand.Create();
        yield return SweepCommand.CreateTask();
        yield return ResourcesCommand.Create();
        yield return BoardCommand.Create();
        yield return CompileCommand.Create();
        yield return AsmCommand.Create();
        yield return SimCommand.Create();
        yield return CosimCommand.Create();
        yield return VerifyCommand.Create();
        yield return EnergyCommand.Create();
        yield return BenchCommand.Create();
        yield return EstimateCommand.Create();
        yield return ExploreCommand.Create();
        yield return ModelCommand.Create();
        yield return DecodeCommand.Create();
        yield return FuzzCommand.Create();
    }
}
