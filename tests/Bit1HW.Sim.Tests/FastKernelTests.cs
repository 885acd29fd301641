using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Testing;
using Bit1HW.Core.Hardware;
using Bit1HW.Sim.Fast;
using Xunit.Abstractions;

namespace Bit1HW.Sim.Tests;

/// <summary>
/// Every instruction-set path of the tile kernel against the scalar one, and whole compiled layers
/// on the fast path against the cycle path (the simulator report compared as text).
/// </summary>
public class FastKernelTests(ITestOutputHelper output)
{
    public static TheoryData<int, int, int, PeKind> Shapes => new()
    {
        { 16, 4, 8, PeKind.Ternary }, { 1, 1, 8, PeKind.Ternary }, { 7, 3, 4, PeKind.Ternary }, { 33, 2, 8, PeKind.Ternary },
        { 256, 16, 8, PeKind.Ternary }, { 100, 5, 7, PeKind.Ternary }, { 16, 4, 8, PeKind.Mac }, { 65, 3, 8, PeKind.Mac },
    };

    // 1023 tiles in one block: 16-bit pair sums of 32 tiles at the extremes, then the widening.
    [Theory]
    [MemberData(nameof(Shapes))]
    public void Long_blocks_at_the_extremes_give_the_scalar_sums_on_every_instruction_set(int lanes, int rows, int actBits, PeKind pe)
    {
        HardwareConfig c = new HardwareConfig
        {
            Lanes = lanes, Rows = rows, ActBits = actBits, Pe = pe, WeightDepth = 1024, ActDepth = 1024, MaxK = 1024 * lanes,
        }.Validate();
        var layout = new TileLayout(c);
        var w = new WeightStore(c, layout);
        var a = new ActStore(c, layout);
        var rng = TestSeed.Rng(3, output);
        for (int word = 0; word < 1024; word++)
        {
            int mode = word < 512 ? word / 128 : 4;   // four blocks of 128 equal words, then random words
            w.Write(word, Word(rng, c.WeightWordBits, c.WeightBits, mode));
            a.Write(word, Word(rng, c.ActWordBits, actBits, mode));
        }
        int[] expected = Sums(layout, w, a, KernelIsa.Scalar);
        foreach (KernelIsa isa in new[] { KernelIsa.Avx2, KernelIsa.Avx512 }.Where(TileKernel.IsSupported))
            Assert.Equal(expected, Sums(layout, w, a, isa));
        output.WriteLine($"{c.Tag}: row 0 sums {expected[0]}; compared on {string.Join(", ", Enum.GetValues<KernelIsa>().Where(TileKernel.IsSupported))}");
    }

    /// <summary>Blocks over the equal words (one per corner, then mixed), the random words, everything, and one tile.</summary>
    private static int[] Sums(TileLayout layout, WeightStore w, ActStore a, KernelIsa isa)
    {
        var partials = new int[layout.Vectors * 32];
        var result = new List<int>();
        foreach (var (start, count) in new[] { (0, 128), (128, 128), (256, 128), (0, 512), (512, 512), (0, 1023), (700, 1) })
        {
            var sums = new int[layout.Rows];
            TileKernel.Accumulate(layout, w, start, a, start, count, sums, partials, isa);
            result.AddRange(sums);
        }
        return [.. result];
    }

    /// <summary>Mode 0: every field at the minimum (-2^(b-1); a ternary 10), 1: the maximum, 2: all ones (-1), 3: 0, 4: random.</summary>
    private static uint[] Word(SplitMix64 rng, int wordBits, int fieldBits, int mode)
    {
        var m = new MemoryImage(wordBits, 1, 1);
        for (int f = 0; f < wordBits / fieldBits; f++)
        {
            uint v = mode switch { 0 => 1u << (fieldBits - 1), 1 => (1u << (fieldBits - 1)) - 1, 2 => uint.MaxValue, 3 => 0, _ => (uint)rng.NextUInt64() };
            m.SetBits(0, f * fieldBits, fieldBits, v & ((1u << fieldBits) - 1));
        }
        return m.Word(0).ToArray();
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Compiled_layers_give_the_same_report_on_both_paths_and_every_instruction_set(int lanes, int rows, int actBits, PeKind pe)
    {
        int seed = TestSeed.Seed(17, output);
        var rng = new SplitMix64(seed);
        HardwareConfig c = TestLayers.Config(lanes, rows, actBits, 1 + lanes % 3, pe);
        for (int mode = 0; mode < 5; mode++)
        {
            var shape = new Workload(rng.Next(1, 4), rng.Next(1, 40), rng.Next(1, Math.Min(c.MaxK, 60 * lanes) + 1));
            ProgramImage image = LayerCompiler.Compile(TestLayers.Make(rng, shape, c, mode), c).Image;
            SimResult cycle = Simulator.Run(image, SimPath.CycleByCycle);
            string want = cycle.ToReport().ToJson();
            foreach (KernelIsa isa in Enum.GetValues<KernelIsa>().Where(TileKernel.IsSupported))
            {
                SimResult fast = Simulator.RunFast(image, isa);
                string where = $"seed {seed}, {c.Tag}, shape {shape}, mode {mode}, {isa}";
                Assert.True(cycle.Acc.AsSpan().SequenceEqual(fast.Acc), $"{where}: acc differs");
                Assert.True(want == fast.ToReport().ToJson(), $"{where}: report differs\n{want}\n{fast.ToReport().ToJson()}");
            }
            var prepared = new PreparedProgram(image);
            var engine = new FastEngine(c);
            for (int again = 0; again < 2; again++)   // a reused engine reports each run alone
                Assert.Equal(want, prepared.Run(engine).ToReport().ToJson());
        }
    }
}

public class FastAllocationTests
{
    [Fact]
    public void A_fast_run_of_a_compiled_layer_allocates_nothing()
    {
        HardwareConfig c = TestLayers.Config(16, 4, 8, 1, PeKind.Ternary);
        ProgramImage image = LayerCompiler.Compile(TestLayers.Make(new SplitMix64(5), new Workload(4, 32, 512), c, 0), c).Image;
        FastEngine engine = Simulator.LoadFast(image);
        engine.Run(long.MaxValue);   // warm-up: JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        long cycles = engine.Run(long.MaxValue);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(image.PredictedCycles, cycles);
        Assert.True(bytes == 0, $"{bytes} bytes allocated by one run of {image.Instructions.Length} instructions");
    }
}
