using Bit1HW.HdlGen.Verilog;

namespace Bit1HW.HdlGen.Mutation;

/// <summary>The classes of realistic RTL bug the mutant library plants (docs/verification.md, "Mutation testing").</summary>
public enum MutationKind
{
    OperatorFlip,
    DroppedSignExtension,
    NarrowerWidth,
    CounterOffByOne,
    StuckAtLane,
    ResetValue,
    LostCarry,
    ExtraPipelineRegister,
    MissingPipelineRegister,
    SwappedWeightCode,
    NegationAtActivationWidth,
    LostCarryInCorrection,
}

/// <summary>
/// One planted bug in one generated module: a stable id (<c>acc-narrower-1</c>), its kind, a sentence
/// saying what is wrong for this configuration, and the module it edits. The edit itself is an AST
/// rewrite (<see cref="MutationPass"/>) applied by <see cref="RtlGenerator.GenerateMutant"/>; mutants
/// exist only for verification and are never produced by <see cref="RtlGenerator.Generate(Core.Hardware.HardwareConfig)"/>.
/// </summary>
public sealed record Mutant(string Id, MutationKind Kind, string Description, string ModuleName)
{
    /// <summary>The rewrite of the module named <see cref="ModuleName"/>; null when the module has no site for it.</summary>
    internal Func<Module, Module?> Apply { get; init; } = _ => null;

    public override string ToString() => $"{Id}: {Description}";
}
