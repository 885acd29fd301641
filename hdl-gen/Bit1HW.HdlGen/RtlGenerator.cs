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

    /// <summary>Every module, top first, then in instantiation order (before the prepare passes).</summary>
    internal static IReadOnlyList<Module> Modules(HardwareConfig cfg, GeneratorOptions opt) => cfg.IsStreaming ? StreamingModules(cfg, opt) :
    [
        TopGenerator.Build(cfg, opt).Build(),
        ControllerGenerator.Build(cfg, opt).Build(),
        RamGenerator.Build(cfg, "imem", 32, cfg.InstrDepth, readFirst: false).Build(),
        RamGenerator.Build(cfg, "wmem", cfg.WeightWordBits, cfg.WeightDepth, readFirst: false).Build(),
        RamGenerator.Build(cfg, "amem", cfg.ActWordBits, cfg.ActDepth, readFirst: false).Build(),
        ArrayGenerator.Build(cfg).Build(),
        PeGenerator.Build(cfg, opt).Build(),
        RamGenerator.Build(cfg, "omem", cfg.OutWordBits, cfg.OutDepth, readFirst: true).Build(),
        BoardGenerator.Build(cfg).Build(),
    ];

    /// <summary>A streaming engine (docs/hardware.md, "Weight streaming over AXI"): the stream engine and
    /// the ring replace the host-written wmem; amem and the ring have read enables (the stall freeze).
    /// There is no board wrapper (its self-test drives the host port only; a board needs an AXI slave); the
    /// AXI4-Lite wrapper comes last, when its register map can hold the staged write data.</summary>
    private static IReadOnlyList<Module> StreamingModules(HardwareConfig cfg, GeneratorOptions opt)
    {
        var ring = new RingGeometry(cfg);
        return
        [
            TopGenerator.Build(cfg, opt).Build(),
            ControllerGenerator.Build(cfg, opt).Build(),
            StreamGenerator.Build(cfg, opt).Build(),
            RamGenerator.Build(cfg, "imem", 32, cfg.InstrDepth, readFirst: false).Build(),
            RamGenerator.Build(cfg, "wmem", ring.LineBits, ring.Lines, readFirst: false, readEnable: true).Build(),
            RamGenerator.Build(cfg, "amem", cfg.ActWordBits, cfg.ActDepth, readFirst: false, readEnable: true).Build(),
            ArrayGenerator.Build(cfg).Build(),
            PeGenerator.Build(cfg, opt).Build(),
            RamGenerator.Build(cfg, "omem", cfg.OutWordBits, cfg.OutDepth, readFirst: true).Build(),
            .. AxilGenerator.Fits(cfg) ? [AxilGenerator.Build(cfg).Build()] : Array.Empty<Module>(),
        ];
    }

    /// <summary>The file names of the engine's Verilog sources (all .v files), in a stable order.</summary>
    public static IEnumerable<string> VerilogFiles(IEnumerable<GeneratedFile> files) =>
        files.Where(f => f.RelativePath.EndsWith(".v", StringComparison.Ordinal)).Select(f => f.RelativePath);

    public static string TopModule(HardwareConfig cfg) => TopGenerator.ModuleName(cfg);
    public static string BoardModule(HardwareConfig cfg) => BoardGenerator.ModuleName(cfg);
    /// <summary>The AXI4-Lite control wrapper of a streaming engine (generated when its register map fits, see docs/hardware.md).</summary>
    public static string AxilModule(HardwareConfig cfg) => AxilGenerator.ModuleName(cfg);
    public static string ArrayModule(HardwareConfig cfg) => ArrayGenerator.ModuleName(cfg);
    public static string PeModule(HardwareConfig cfg) => PeGenerator.ModuleName(cfg);
}
