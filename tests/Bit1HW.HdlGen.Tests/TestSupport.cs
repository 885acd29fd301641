using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen;
using Bit1HW.HdlGen.Gen;
using Bit1HW.Core.Tools;

namespace Bit1HW.HdlGen.Tests;

internal static class Tools
{
    public static ToolResult Run(string tool, string workDir, params string[] args) =>
        ToolRunner.Run(tool, args, workDir, TimeSpan.FromMinutes(3));
}

internal static class Repo
{
    public static string Root => RepoPaths.Root;

    public static bool Update(string variable) => Environment.GetEnvironmentVariable(variable) == "1";
}

/// <summary>A fresh temporary directory holding one generated configuration.</summary>
internal sealed class GeneratedDir : IDisposable
{
    public string Path { get; }
    public HardwareConfig Config { get; }
    public IReadOnlyList<GeneratedFile> Files { get; }

    public GeneratedDir(HardwareConfig cfg, GeneratorFaults faults = GeneratorFaults.None, RtlVariant? variant = null)
    {
        Config = cfg;
        Path = Directory.CreateTempSubdirectory("bit1hw-hdl-").FullName;
        Files = RtlGenerator.Generate(cfg, new GeneratorOptions(faults) { Variant = variant ?? RtlVariant.Generic });
        foreach (var f in Files)
        {
            string path = System.IO.Path.Combine(Path, f.RelativePath);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllText(path, f.Text);
        }
    }

    /// <summary>The synthesizable Verilog files (no cell models).</summary>
    public string[] Verilog => RtlGenerator.VerilogFiles(Files).ToArray();

    /// <summary>What a simulator reads: the synthesizable files and the cell models under sim-models/.</summary>
    public string[] SimulationVerilog => RtlGenerator.SimulationFiles(Files).ToArray();

    /// <summary>The Verilog files without the board wrapper (for testbenches of the engine top).</summary>
    public string[] EngineVerilog => Verilog.Where(f => !f.StartsWith("bit1hw_board_", StringComparison.Ordinal)).ToArray();

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

internal static class Configs
{
    /// <summary>A small configuration with small memories, so tool runs stay fast.</summary>
    public static HardwareConfig Small(int lanes, int rows = 2, int actBits = 8, int pipeEvery = 2, PeKind pe = PeKind.Ternary) => new()
    {
        Lanes = lanes, Rows = rows, ActBits = actBits, PipeEvery = pipeEvery, Pe = pe,
        WeightDepth = 16, ActDepth = 16, OutDepth = 16, InstrDepth = 32, MaxK = Math.Min(16 * lanes, 1024),
    };
}
