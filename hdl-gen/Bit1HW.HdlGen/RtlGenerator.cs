using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Verilog;

namespace Bit1HW.HdlGen;

/// <summary>One generated file: a path relative to the output directory and its text.</summary>
public sealed record GeneratedFile(string RelativePath, string Text)
{
    /// <summary>A behavioural model of a vendor cell (under <c>sim-models/</c>) for simulators only; synthesis never reads it.</summary>
    public bool SimulationModel => RelativePath.StartsWith(CellModels.Directory + "/", StringComparison.Ordinal);
}

/// <summary>
/// The generator's entry point: the whole engine from one validated <see cref="HardwareConfig"/>,
/// one Verilog file per module (file name = module name, as lint tools expect), the board wrapper
/// and manifest.json; for the ice40-up5k variant also the behavioural models of the iCE40 cells it
/// instantiates, under <c>sim-models/</c> (<see cref="CellModels"/>). Nothing is written here; the
/// caller writes the list (atomically, e.g. with <c>AtomicFile.WriteDirectory</c>).
/// </summary>
public static class RtlGenerator
{
    /// <summary>Every file of the engine for <paramref name="cfg"/>, in ordinal order of path.</summary>
    public static IReadOnlyList<GeneratedFile> Generate(HardwareConfig cfg) => Generate(cfg, GeneratorOptions.Default);

    /// <summary>As <see cref="Generate(HardwareConfig)"/> for an RTL variant (target, accumulators).</summary>
    public static IReadOnlyList<GeneratedFile> Generate(HardwareConfig cfg, RtlVariant variant) =>
        Generate(cfg, new GeneratorOptions { Variant = variant });

    /// <summary>As <see cref="Generate(HardwareConfig)"/>, with an RTL variant and, for tests, deliberate faults.</summary>
    public static IReadOnlyList<GeneratedFile> Generate(HardwareConfig cfg, GeneratorOptions opt)
    {
        cfg.Validate();
        opt.Variant.Validate();
        if (cfg.IsStreaming && opt.Variant != RtlVariant.Generic)
            throw new Core.UserInputException("--target", $"a streaming configuration is generated for the generic target only, not {opt.Variant}");
        var plan = Plan(cfg, opt.Variant.Target);
        var modules = Modules(cfg, opt, plan);
        var files = modules.Select(m => new GeneratedFile($"{m.Name}.v", Printer.Print(Prepare.Run(m)))).ToList();
        files.AddRange(Cells(plan, opt).Select(c => new GeneratedFile(CellModels.PathOf(c), CellModels.Text(c))));
        files.Add(new GeneratedFile("manifest.json", Manifest.Write(cfg, opt.Variant, plan, modules, Cells(plan, opt))));
        return files.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList();
    }

    /// <summary>The iCE40 cells the variant instantiates (each needs a simulation model).</summary>
    private static IEnumerable<string> Cells(IReadOnlyList<MemoryPlacement> plan, GeneratorOptions opt)
    {
        if (opt.Mac16) yield return CellModels.Mac16;
        if (plan.Any(p => p.Sprams > 0)) yield return CellModels.Spram;
    }

    /// <summary>
    /// The engine with one planted bug (<see cref="Mutation.MutantLibrary"/>), for mutation testing
    /// only: the mutant's module is rewritten on the AST before the prepare passes, every other file
    /// is exactly <see cref="Generate(HardwareConfig)"/>'s.
    /// </summary>
    public static IReadOnlyList<GeneratedFile> GenerateMutant(HardwareConfig cfg, Mutation.Mutant mutant)
    {
        cfg.Validate();
        var plan = Plan(cfg, RtlTarget.Generic);
        var modules = Modules(cfg, GeneratorOptions.Default, plan).Select(m => m.Name != mutant.ModuleName ? m
            : mutant.Apply(m) ?? throw new InvalidOperationException($"mutant {mutant.Id} has no site in {m.Name}")).ToList();
        if (modules.All(m => m.Name != mutant.ModuleName))
            throw new InvalidOperationException($"mutant {mutant.Id}: no module {mutant.ModuleName} in {cfg.Tag}");
        var files = modules.Select(m => new GeneratedFile($"{m.Name}.v", Printer.Print(Prepare.Run(m)))).ToList();
        files.Add(new GeneratedFile("manifest.json", Manifest.Write(cfg, RtlVariant.Generic, plan, modules, [])));
        return files.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList();
    }

    /// <summary>Where each memory lives: the target's plan, or a streaming engine's (generic only).</summary>
    private static IReadOnlyList<MemoryPlacement> Plan(HardwareConfig cfg, RtlTarget target) =>
        cfg.IsStreaming ? StreamingPlan(cfg) : MemoryPlan.For(cfg, target);

    /// <summary>Every module of <paramref name="opt"/>'s variant, top first (before the prepare passes).</summary>
    internal static IReadOnlyList<Module> Modules(HardwareConfig cfg, GeneratorOptions opt) => Modules(cfg, opt, Plan(cfg, opt.Variant.Target));

    /// <summary>Every module, top first, then in instantiation order (before the prepare passes).</summary>
    internal static IReadOnlyList<Module> Modules(HardwareConfig cfg, GeneratorOptions opt, IReadOnlyList<MemoryPlacement> plan) =>
        cfg.IsStreaming ? StreamingModules(cfg, opt, plan) :
    [
        TopGenerator.Build(cfg, opt).Build(),
        ControllerGenerator.Build(cfg, opt).Build(),
        RamGenerator.Build(cfg, plan.Single(p => p.Memory == "imem"), readFirst: false, opt).Build(),
        RamGenerator.Build(cfg, plan.Single(p => p.Memory == "wmem"), readFirst: false, opt).Build(),
        RamGenerator.Build(cfg, plan.Single(p => p.Memory == "amem"), readFirst: false, opt).Build(),
        ArrayGenerator.Build(cfg, opt).Build(),
        PeGenerator.Build(cfg, opt).Build(),
        RamGenerator.Build(cfg, plan.Single(p => p.Memory == "omem"), readFirst: true, opt).Build(),
        BoardGenerator.Build(cfg).Build(),
    ];

    /// <summary>A streaming engine (docs/hardware.md, "Weight streaming over AXI"): the stream engine and
    /// the ring replace the host-written wmem; amem and the ring have read enables (the stall freeze).
    /// There is no board wrapper (its self-test drives the host port only; a board needs an AXI slave); the
    /// AXI4-Lite wrapper comes last, when its register map can hold the staged write data.</summary>
    private static IReadOnlyList<Module> StreamingModules(HardwareConfig cfg, GeneratorOptions opt, IReadOnlyList<MemoryPlacement> plan) =>
    [
        TopGenerator.Build(cfg, opt).Build(),
        ControllerGenerator.Build(cfg, opt).Build(),
        StreamGenerator.Build(cfg, opt).Build(),
        RamGenerator.Build(cfg, plan.Single(p => p.Memory == "imem"), readFirst: false, opt).Build(),
        RamGenerator.Build(cfg, plan.Single(p => p.Memory == "wmem"), readFirst: false, opt, readEnable: true).Build(),
        RamGenerator.Build(cfg, plan.Single(p => p.Memory == "amem"), readFirst: false, opt, readEnable: true).Build(),
        ArrayGenerator.Build(cfg, opt).Build(),
        PeGenerator.Build(cfg, opt).Build(),
        RamGenerator.Build(cfg, plan.Single(p => p.Memory == "omem"), readFirst: true, opt).Build(),
        .. AxilGenerator.Fits(cfg) ? [AxilGenerator.Build(cfg).Build()] : Array.Empty<Module>(),
    ];

    /// <summary>A streaming engine's memories, all inferred (the generic target): wmem is the ring of beat-sized lines.</summary>
    private static IReadOnlyList<MemoryPlacement> StreamingPlan(HardwareConfig cfg)
    {
        var ring = new RingGeometry(cfg);
        return
        [
            new("imem", cfg.InstrDepth, 32, 0), new("wmem", ring.Lines, ring.LineBits, 0),
            new("amem", cfg.ActDepth, cfg.ActWordBits, 0), new("omem", cfg.OutDepth, cfg.OutWordBits, 0),
        ];
    }

    /// <summary>The synthesizable Verilog files (every .v file except the simulation models), in a stable order.</summary>
    public static IEnumerable<string> VerilogFiles(IEnumerable<GeneratedFile> files) =>
        files.Where(f => f.RelativePath.EndsWith(".v", StringComparison.Ordinal) && !f.SimulationModel).Select(f => f.RelativePath);

    /// <summary>What a simulator (Verilator, Icarus) reads: the synthesizable files and the cell models.</summary>
    public static IEnumerable<string> SimulationFiles(IEnumerable<GeneratedFile> files) =>
        files.Where(f => f.RelativePath.EndsWith(".v", StringComparison.Ordinal)).Select(f => f.RelativePath);

    public static string TopModule(HardwareConfig cfg) => TopGenerator.ModuleName(cfg);
    public static string BoardModule(HardwareConfig cfg) => BoardGenerator.ModuleName(cfg);
    /// <summary>The AXI4-Lite control wrapper of a streaming engine (generated when its register map fits, see docs/hardware.md).</summary>
    public static string AxilModule(HardwareConfig cfg) => AxilGenerator.ModuleName(cfg);
    public static string ArrayModule(HardwareConfig cfg) => ArrayGenerator.ModuleName(cfg);
    public static string PeModule(HardwareConfig cfg) => PeGenerator.ModuleName(cfg);
}
