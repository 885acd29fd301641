using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Verilog;

namespace Bit1HW.HdlGen;

/// <summary>One generated file: a path relative to the output directory and its text.</summary>
public sealed record GeneratedFile(string RelativePath, string Text);

/// <summary>
/// The generator's entry point: the whole engine from one validated <see cref="HardwareConfig"/>,
/// one Verilog file per module (file name = module name, as lint tools expect), the board wrapper
/// and manifest.json. Nothing is written here; the caller writes the list (atomically, e.g. with
/// <c>AtomicFile.WriteDirectory</c>).
/// </summary>
public static class RtlGenerator
{
    /// <summary>Every file of the engine for <paramref name="cfg"/>, in ordinal order of path.</summary>
    public static IReadOnlyList<GeneratedFile> Generate(HardwareConfig cfg) => Generate(cfg, GeneratorOptions.Default);

    /// <summary>As <see cref="Generate(HardwareConfig)"/>, with deliberate faults for tests that show a cross-check catches them.</summary>
    public static IReadOnlyList<GeneratedFile> Generate(HardwareConfig cfg, GeneratorOptions opt)
    {
        cfg.Validate();
        var modules = Modules(cfg, opt);
        var files = modules.Select(m => new GeneratedFile($"{m.Name}.v", Printer.Print(Prepare.Run(m)))).ToList();
        files.Add(new GeneratedFile("manifest.json", Manifest.Write(cfg, modules)));
        return files.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The engine with one planted bug (<see cref="Mutation.MutantLibrary"/>), for mutation testing
    /// only: the mutant's module is rewritten on the AST before the prepare passes, every other file
    /// is exactly <see cref="Generate(HardwareConfig)"/>'s.
    /// </summary>
    public static IReadOnlyList<GeneratedFile> GenerateMutant(HardwareConfig cfg, Mutation.Mutant mutant)
    {
        cfg.Validate();
        var modules = Modules(cfg, GeneratorOptions.Default).Select(m => m.Name != mutant.ModuleName ? m
            : mutant.Apply(m) ?? throw new InvalidOperationException($"mutant {mutant.Id} has no site in {m.Name}")).ToList();
        if (modules.All(m => m.Name != mutant.ModuleName))
            throw new InvalidOperationException($"mutant {mutant.Id}: no module {mutant.ModuleName} in {cfg.Tag}");
        var files = modules.Select(m => new GeneratedFile($"{m.Name}.v", Printer.Print(Prepare.Run(m)))).ToList();
        files.Add(new GeneratedFile("manifest.json", Manifest.Write(cfg, modules)));
        return files.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every module, top first, then in instantiation order (before the prepare passes).</summary>
    internal static IReadOnlyList<Module> Modules(HardwareConfig cfg, GeneratorOptions opt) =>
    [
        TopGenerator.Build(cfg).Build(),
        ControllerGenerator.Build(cfg, opt).Build(),
        RamGenerator.Build(cfg, "imem", 32, cfg.InstrDepth, readFirst: false).Build(),
        RamGenerator.Build(cfg, "wmem", cfg.WeightWordBits, cfg.WeightDepth, readFirst: false).Build(),
        RamGenerator.Build(cfg, "amem", cfg.ActWordBits, cfg.ActDepth, readFirst: false).Build(),
        ArrayGenerator.Build(cfg).Build(),
        PeGenerator.Build(cfg, opt).Build(),
        RamGenerator.Build(cfg, "omem", cfg.OutWordBits, cfg.OutDepth, readFirst: true).Build(),
        BoardGenerator.Build(cfg).Build(),
    ];

    /// <summary>The file names of the engine's Verilog sources (all .v files), in a stable order.</summary>
    public static IEnumerable<string> VerilogFiles(IEnumerable<GeneratedFile> files) =>
        files.Where(f => f.RelativePath.EndsWith(".v", StringComparison.Ordinal)).Select(f => f.RelativePath);

    public static string TopModule(HardwareConfig cfg) => TopGenerator.ModuleName(cfg);
    public static string BoardModule(HardwareConfig cfg) => BoardGenerator.ModuleName(cfg);
    public static string ArrayModule(HardwareConfig cfg) => ArrayGenerator.ModuleName(cfg);
    public static string PeModule(HardwareConfig cfg) => PeGenerator.ModuleName(cfg);
}
