using BenchmarkDotNet.Attributes;
using Bit1HW.Core.Numerics;
using Bit1HW.Flows;

namespace Bit1HW.Benchmarks;

/// <summary>
/// What `bit1hw bitlinear` does after start-up, through the library call it makes: read a 71 MB
/// layer file (weight [2560, 6912], input [8, 6912], a <see cref="SyntheticLayer"/> of seed 7,
/// written once), check, quantize, integer GEMM, dequantize, the float64 MathNet reference for the
/// SQNR, and the atomic write of the 18 MB result.
/// Run: dotnet run -c Release --project tests/Bit1HW.Benchmarks -- --filter '*BitLinearFile*'
/// </summary>
public class BitLinearFileBenchmarks
{
    private string _dir = "";
    private string _layer = "";

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("bit1hw-bench-").FullName;
        _layer = Path.Combine(_dir, "layer.safetensors");
        SyntheticLayer.Generate(2560, 6912, 8, seed: 7).ToFile().Write(_layer);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark]
    public BitLinearFileResult BitLinearFile() =>
        Flows.BitLinearFile.Run(_layer, Path.Combine(_dir, "out.safetensors"), 8, WeightScaleMethod.AbsMean);
}
