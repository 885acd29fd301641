using Bit1HW.Core;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Benchmarks;

/// <summary>
/// The reference BitLinear on a BitNet-b1.58-2B-sized FFN down projection: weight [out = 2560,
/// in = K = 6912], 8 tokens, 8-bit activations. Seeded inputs (seed 1).
/// Run: dotnet run -c Release --project tests/Bit1HW.Benchmarks -- --filter '*BitLinear*'
/// </summary>
[MemoryDiagnoser]
public class BitLinearBenchmarks
{
    private const int Out = 2560, K = 6912, Tokens = 8;
    private float[] _weights = [];
    private float[] _input = [];
    private TernaryMatrix _w = null!;
    private QuantizedActivations _x = null!;
    private int[] _acc = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new SplitMix64(1);
        _weights = new float[Out * K];
        for (int i = 0; i < _weights.Length; i++) _weights[i] = (float)(rng.NextDouble() * 2 - 1) * 0.02f;
        _input = new float[Tokens * K];
        for (int i = 0; i < _input.Length; i++) _input[i] = (float)(rng.NextDouble() * 8 - 4);
        _w = TernaryMatrix.Quantize(_weights, Out, K, WeightScaleMethod.AbsMean);
        _x = QuantizedActivations.Quantize(_input, Tokens, K, 8);
        _acc = new int[Tokens * Out];
    }

    /// <summary>The integer GEMM alone (the decoder's per-token cost): AVX2 when available.</summary>
    [Benchmark(Baseline = true)]
    public void Accumulate() => BitLinear.Accumulate(_w, _x, _acc);

    /// <summary>Activation quantization + GEMM + dequantization, weights already ternary.</summary>
    [Benchmark]
    public float[] QuantizeActivationsAndForward() => BitLinear.Forward(_w, QuantizedActivations.Quantize(_input, Tokens, K, 8)).Output;

    /// <summary>Everything `bit1hw bitlinear` computes except file I/O and the float64 SQNR reference.</summary>
    [Benchmark]
    public float[] QuantizeWeightsAndForward() =>
        BitLinear.Forward(TernaryMatrix.Quantize(_weights, Out, K, WeightScaleMethod.AbsMean), QuantizedActivations.Quantize(_input, Tokens, K, 8)).Output;
}

/// <summary>
/// The same integer GEMM on a runtime told the CPU has no AVX2 (<c>DOTNET_EnableAVX2=0</c> in the
/// benchmark process), so <see cref="BitLinear.Accumulate(TernaryMatrix, QuantizedActivations, System.Span{int})"/>
/// takes its scalar loop exactly as on a machine without AVX2: the public API, no test hook.
/// Run: dotnet run -c Release --project tests/Bit1HW.Benchmarks -- --filter '*Scalar*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(WithoutAvx2))]
public class BitLinearScalarBenchmarks
{
    private readonly BitLinearBenchmarks _shape = new();

    [GlobalSetup]
    public void Setup() => _shape.Setup();

    [Benchmark]
    public void AccumulateScalar() => _shape.Accumulate();

    private sealed class WithoutAvx2 : ManualConfig
    {
        public WithoutAvx2() =>
            AddJob(Job.Default.WithEnvironmentVariables(
                new EnvironmentVariable("DOTNET_EnableAVX2", "0")).WithId("no-avx2"));
    }
}
