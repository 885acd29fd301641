using BenchmarkDotNet.Attributes;
using Bit1HW.Cli;

namespace Bit1HW.Benchmarks;

/// <summary>
/// `bit1hw bitlinear` end to end after start-up, in-process: read a 71 MB layer file (weight [2560, 6912],
/// input [8, 6912], written once by `make-layer --seed 7`), check, quantize, integer GEMM, dequantize,
/// the float64 MathNet reference for the SQNR line, and the atomic write of the 18 MB result.
/// Run: dotnet run -c Release --project tests/Bit1HW.Benchmarks -- --filter '*BitLinearCommand*'
/// </summary>
public class BitLinearCommandBenchmarks
{
    private string _dir = "";
    private string _layer = "";

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("bit1hw-bench-").FullName;
        _layer = Path.Combine(_dir, "layer.safetensors");
        Run("make-layer", "--out", _layer, "--out-features", "2560", "--in-features", "6912", "--tokens", "8", "--seed", "7");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark]
    public void BitLinearCommand() => Run("bitlinear", "--in", _layer, "--out", Path.Combine(_dir, "out.safetensors"));

    private static void Run(params string[] args)
    {
        int code = CliRunner.Run(args, TextWriter.Null, Console.Error);
        if (code != 0) throw new InvalidOperationException($"bit1hw {string.Join(' ', args)} exited {code}");
    }
}
