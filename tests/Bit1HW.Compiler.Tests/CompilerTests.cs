using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Compiler.Tests;

public class CompilerTests
{
    private static HardwareConfig Cfg(int lanes = 2, int rows = 4, PeKind pe = PeKind.Ternary, int instrDepth = 256) => new HardwareConfig
    {
        Lanes = lanes, Rows = rows, Pe = pe, ActDepth = 64, WeightDepth = 64, OutDepth = 16, InstrDepth = instrDepth, MaxK = 64,
    }.Validate();

    private static Layer Ramp(Workload s, HardwareConfig c)
    {
        var w = new sbyte[s.OutFeatures * s.InFeatures];
        var x = new sbyte[s.Tokens * s.InFeatures];
        for (int i = 0; i < w.Length; i++) w[i] = (sbyte)(c.Pe == PeKind.Ternary ? i % 3 - 1 : i - 60);
        for (int i = 0; i < x.Length; i++) x[i] = (sbyte)(i * 7 % 200 - 100);
        return new Layer(s, w, x);
    }

    [Fact]
    public void Weight_o_i_lands_in_its_block_tile_row_and_lane()
    {
        // rows 4, lanes 2, out 6, in 5: W[5, 3] is row block 1, K tile 1 (of 3), row 1, lane 1 → word 4, bits [6 +: 2].
        HardwareConfig c = Cfg();
        var layer = Ramp(new Workload(2, 6, 5), c);
        MemoryImage w = LayerCompiler.Compile(layer, c).Image.Weights;
        Assert.Equal(6, w.WrittenWords);
        Assert.Equal(TernaryCode.Encode(layer.Weights[5 * 5 + 3]), (byte)w.GetBits(4, (1 * 2 + 1) * 2, 2));
        Assert.Equal(0u, w.GetBits(5, (1 * 2 + 1) * 2, 2));   // W[5, 5] does not exist: zero padding
        Assert.Equal(0u, w.GetBits(3, 2 * 2 * 2, 4));          // rows 6, 7 of block 1 are padding
    }

    [Fact]
    public void Activation_t_i_and_output_placement_follow_the_layout()
    {
        HardwareConfig c = Cfg();
        var layer = Ramp(new Workload(2, 6, 5), c);
        ProgramImage img = LayerCompiler.Compile(layer, c).Image;
        // X[1, 4]: token 1, K tile 2 → word 1·3 + 2 = 5, lane 0.
        Assert.Equal(layer.Activations[1 * 5 + 4], img.Activations.GetSigned(5, 0, 8));
        Assert.Equal(0, img.Activations.GetSigned(5, 8, 8));
        Assert.Equal((1 * 2 + 1, 1), img.OutputLocation(1, 5));   // token 1, block 1, row 1
    }

    [Fact]
    public void Predicted_cycles_are_the_two_fetch_cycles_plus_the_sum_of_instruction_cycles()
    {
        HardwareConfig c = Cfg();
        ProgramImage img = LayerCompiler.Compile(Ramp(new Workload(3, 7, 9), c), c).Image;
        long n = 2;
        foreach (uint w in img.Instructions) n += c.InstructionCycles(w);
        Assert.Equal(n, img.PredictedCycles);
        Assert.Equal(Opcode.Halt, Isa.OpcodeOf(img.Instructions[^1]));
    }

    [Theory]
    [InlineData(1, 4, 65, "maxK")]                // 65 > maxK 64
    [InlineData(5, 4, 40, "activation memory")]    // 5 tokens × 20 tiles = 100 > 64
    [InlineData(20, 4, 2, "output memory")]        // 20 tokens × 1 block > 16
    public void A_workload_that_does_not_fit_is_rejected(int tokens, int outF, int inF, string what)
    {
        HardwareConfig c = Cfg();
        var e = Assert.Throws<UserInputException>(() => LayerCompiler.Compile(Ramp(new Workload(tokens, outF, inF), c), c));
        Assert.Contains(inF > c.MaxK ? "maxK" : what, e.Message);
    }

    [Fact]
    public void A_program_longer_than_the_instruction_memory_is_rejected()
    {
        HardwareConfig c = Cfg(instrDepth: 16);
        var e = Assert.Throws<UserInputException>(() => LayerCompiler.Compile(Ramp(new Workload(4, 4, 4), c), c));
        Assert.Contains("instrDepth is 16", e.Message);
    }

    [Fact]
    public void Shapes_that_disagree_with_the_arrays_or_the_pe_are_rejected()
    {
        HardwareConfig c = Cfg();
        Assert.Contains("out × in", Assert.Throws<UserInputException>(() =>
            LayerCompiler.Compile(new Layer(new Workload(1, 2, 2), new sbyte[3], new sbyte[2]), c)).Message);
        Assert.Contains("ternary PE takes", Assert.Throws<UserInputException>(() =>
            LayerCompiler.Compile(new Layer(new Workload(1, 1, 2), [2, 0], [0, 0]), c)).Message);
        HardwareConfig c4 = c with { ActBits = 4 };
        Assert.Contains("outside -8..7", Assert.Throws<UserInputException>(() =>
            LayerCompiler.Compile(new Layer(new Workload(1, 1, 2), [1, 0], [8, 0]), c4)).Message);
    }

    /// <summary>
    /// The schedule's cost, derived by hand from docs/hardware.md: cycles 0, 1 fetch; the prologue
    /// SETW, SETA, CLR; group 0 streams KT tiles; every later group costs one SET, KT MACs, OUT and
    /// CLR; the drain is NOP (L + 1), OUT, HALT. So N = 2 + 3 + KT + (G - 1)(KT + 3) + L + 3
    /// = G(KT + 3) + L + 5 whenever KT > L, whatever L is. (With KT ≤ L a group's tiles all issue
    /// before the previous OUT, and the final drain overlaps the last OUT and CLR.)
    /// </summary>
    [Theory]
    [InlineData(16, 1, 2, 8, 160)]    // L = 5, KT = 10, G = 2 tokens × 2 row blocks
    [InlineData(16, 2, 3, 4, 96)]     // L = 3, KT = 6, G = 3 × 1
    [InlineData(4, 1, 1, 5, 16)]      // L = 3, KT = 4, G = 1 × 2
    [InlineData(1, 1, 2, 3, 4)]       // L = 1 (D = 0), KT = 4, G = 2 × 1
    [InlineData(7, 64, 2, 4, 21)]     // L = 2 (pipeEvery > D), KT = 3, G = 2 × 1
    public void Every_group_after_the_first_costs_kt_plus_3_cycles(int lanes, int pipeEvery, int tokens, int outF, int inF)
    {
        HardwareConfig c = new HardwareConfig
        {
            Lanes = lanes, Rows = 4, PipeEvery = pipeEvery, ActDepth = 64, WeightDepth = 64, OutDepth = 16, MaxK = Math.Min(64 * lanes, 160),
        }.Validate();
        ProgramImage img = LayerCompiler.Compile(Ramp(new Workload(tokens, outF, inF), c), c).Image;
        long kt = (inF + lanes - 1) / lanes, groups = tokens * ((outF + 3) / 4);
        Assert.True(kt > c.PeLatencyCycles);
        Assert.Equal(groups * (kt + 3) + c.PeLatencyCycles + 5, img.PredictedCycles);
        Assert.DoesNotContain(img.Instructions[..^3], w => Isa.OpcodeOf(w) == Opcode.Nop);   // no padding but the final drain
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Nops_and_macs_longer_than_the_repeat_counter_are_split(int pipeEvery)
    {
        // Depths 2: RepeatBits = 2, counts ≤ 3; 16 lanes: L = 5 (pipeEvery 1) or 3, KT = 2 < L, so every
        // group pads and the final drain needs NOP L + 1 = 6 or 4.
        HardwareConfig c = new HardwareConfig
        {
            Lanes = 16, Rows = 1, PipeEvery = pipeEvery, ActDepth = 2, WeightDepth = 2, OutDepth = 2, InstrDepth = 64, MaxK = 32,
        }.Validate();
        Assert.Equal(2, c.RepeatBits);
        ProgramImage img = LayerCompiler.Compile(Ramp(new Workload(1, 1, 32), c), c).Image;   // verified on compile
        uint[] counts = [.. img.Instructions.Where(w => Isa.OpcodeOf(w) is Opcode.Nop or Opcode.Mac).Select(Isa.OperandOf)];
        Assert.All(counts, n => Assert.InRange(n, 1u, 3u));
        Assert.Contains(img.Instructions, w => Isa.OpcodeOf(w) == Opcode.Nop);
        // One group of KT = 2: cycles 0, 1 fetch, SETW/SETA/CLR, MAC 2, NOP L + 1, OUT, HALT.
        Assert.Equal(2 + 3 + 2 + c.PeLatencyCycles + 1 + 2, img.PredictedCycles);
    }
}
