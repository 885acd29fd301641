using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Mutation;
using Bit1HW.Sim;

namespace Bit1HW.CoSim;

/// <summary>
/// One configuration ready for co-simulation: its generated RTL built into a (cached) Verilator
/// library, and a factory for simulator engines. Faults are for tests that show the cross-check
/// catches bugs: <c>rtlFaults</c> mutates the generated RTL, <c>simFault</c>
/// the C# simulator; a <see cref="Mutant"/> from the mutant library (<see cref="MutationCampaign"/>)
/// plants one bug in the RTL through the Verilog AST.
/// </summary>
public sealed class DesignUnderTest
{
    public HardwareConfig Config { get; }
    public string LibraryPath { get; }
    public IReadOnlyList<(string Name, string Text)> Sources { get; }
    /// <summary>The RTL variant under test (generic, or ice40-up5k with SPRAM and optionally SB_MAC16
    /// accumulators, simulated with the generated cell models); the C# simulator is the same for all.</summary>
    public RtlVariant Variant { get; }
    private readonly SimFault _simFault;
    private readonly GeneratorFaults _rtlFaults;

    /// <summary>The planted bug of a mutant design, or null for the real design.</summary>
    public Mutant? Mutant { get; }

    private DesignUnderTest(HardwareConfig cfg, RtlVariant variant, IReadOnlyList<(string, string)> sources, string lib,
        GeneratorFaults rtlFaults, SimFault simFault, Mutant? mutant)
    {
        Config = cfg;
        Variant = variant;
        Sources = sources;
        LibraryPath = lib;
        _rtlFaults = rtlFaults;
        _simFault = simFault;
        Mutant = mutant;
    }

    public string Description => Config.Tag
        + (Variant != RtlVariant.Generic ? $" ({Variant})" : "")
        + (_rtlFaults != GeneratorFaults.None ? $" [rtl fault {_rtlFaults}]" : "")
        + (_simFault != SimFault.None ? $" [sim fault {_simFault}]" : "")
        + (Mutant is not null ? $" [mutant {Mutant.Id}]" : "");

    /// <summary>
    /// Generates the configuration's RTL (<paramref name="variant"/>, generic by default) and builds (or
    /// loads from the cache) its Verilator model; build messages go to <paramref name="progress"/>, the
    /// build's live output to <paramref name="status"/>.
    /// </summary>
    public static DesignUnderTest Build(HardwareConfig cfg, TextWriter? progress = null,
        GeneratorFaults rtlFaults = GeneratorFaults.None, SimFault simFault = SimFault.None, IProgress<ProgressUpdate>? status = null,
        RtlVariant? variant = null)
    {
        cfg.Validate();
        variant = (variant ?? RtlVariant.Generic).Validate();
        var sources = Verilog(cfg, HdlGen.RtlGenerator.Generate(cfg, new GeneratorOptions(rtlFaults) { Variant = variant }));
        string lib = VerilatorBuilder.Build(cfg, sources, trace: false, progress, status: status);
        return new DesignUnderTest(cfg, variant, sources, lib, rtlFaults, simFault, null);
    }

    /// <summary>The design with one mutant's bug planted (its Verilator build is cached like any other).</summary>
    public static DesignUnderTest BuildMutant(HardwareConfig cfg, Mutant mutant, TextWriter? progress = null, IProgress<ProgressUpdate>? status = null)
    {
        cfg.Validate();
        var sources = Verilog(cfg, HdlGen.RtlGenerator.GenerateMutant(cfg, mutant));
        string lib = VerilatorBuilder.Build(cfg, sources, trace: false, progress, status: status);
        return new DesignUnderTest(cfg, RtlVariant.Generic, sources, lib, GeneratorFaults.None, SimFault.None, mutant);
    }

    /// <summary>The engine's Verilog files and the cell models it needs (without the board wrapper, which
    /// the harness does not drive), by file name.</summary>
    internal static List<(string Name, string Text)> Verilog(HardwareConfig cfg, IEnumerable<HdlGen.GeneratedFile> files)
    {
        string board = HdlGen.RtlGenerator.BoardModule(cfg) + ".v";
        return files
            .Where(f => f.RelativePath.EndsWith(".v", StringComparison.Ordinal) && f.RelativePath != board)
            .Select(f => (Path.GetFileName(f.RelativePath), f.Text))
            .ToList();
    }

    public VerilatorModel NewVerilator() => new(LibraryPath, Config);
    public SimulatorModel NewSimulator() => new(new Sim.Engine(Config, _simFault));

    /// <summary>A Verilator model built with --trace (a separate cached build), for mismatch waveforms.</summary>
    public VerilatorModel NewTracingVerilator(TextWriter? progress, IProgress<ProgressUpdate>? status = null) =>
        new(VerilatorBuilder.Build(Config, Sources, trace: true, progress, status: status), Config);
}
