using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.Sim;
using Xunit.Abstractions;

namespace Bit1HW.CoSim.Tests;

// The directed cases and random programs are data: these tests check that each is what its name
// promises, on the C# simulator alone (no Verilator needed).
public class DirectedCaseTests(ITestOutputHelper output)
{
    public static TheoryData<int> CampaignConfigs => [0, 1, 2, 3, 4, 5];

    private static HardwareConfig Config(int i) => CaseGenerator.Configs(20261122, 6)[i];

    [Theory]
    [MemberData(nameof(CampaignConfigs))]
    public void MaxK_layers_reach_the_contract_bounds_of_the_accumulator_exactly(int config)
    {
        var cfg = Config(config);
        long half = 1L << (cfg.ActBits - 1);
        long pos = cfg.MaxK * half * cfg.MaxAbsWeight, neg = -cfg.MaxK * half * (cfg.Pe == PeKind.Mac ? 127 : 1);
        var rng = new SplitMix64(1);
        Assert.All(Acc(cfg, DirectedCases.Layer(cfg, rng, CaseKind.MaxKMostPositive)!), a => Assert.Equal(pos, a));
        Assert.All(Acc(cfg, DirectedCases.Layer(cfg, rng, CaseKind.MaxKMostNegative)!), a => Assert.Equal(neg, a));
        long plusMax = cfg.MaxK * (half - 1) * (cfg.Pe == PeKind.Mac ? 127 : 1);
        Assert.All(Acc(cfg, DirectedCases.Layer(cfg, rng, CaseKind.MaxKPlusOneTimesMax)!), a => Assert.Equal(plusMax, a));
        long[] alternating = Acc(cfg, DirectedCases.Layer(cfg, rng, CaseKind.MaxKAlternatingSigns)!);
        Assert.Contains(pos, alternating);
        Assert.Contains(neg, alternating);
        Layer every = DirectedCases.Layer(cfg, rng, CaseKind.MaxKMinActivationEveryLane)!;
        Assert.Equal(cfg.MaxK, every.Shape.InFeatures);
        Assert.All(every.Activations, a => Assert.Equal(-half, a));
    }

    [Theory]
    [MemberData(nameof(CampaignConfigs))]
    public void The_fill_layer_writes_every_word_of_the_weight_and_activation_memories(int config)
    {
        var cfg = Config(config);
        Layer layer = DirectedCases.Layer(cfg, new SplitMix64(2), CaseKind.FillsMemories)!;
        ProgramImage image = LayerCompiler.Compile(layer, cfg).Image;
        Assert.Equal(cfg.WeightDepth, image.Weights.WrittenWords);
        Assert.Equal(cfg.ActDepth, image.Activations.WrittenWords);
    }

    [Fact]
    public void A_maxK_layer_that_the_weight_memory_cannot_hold_is_skipped()
    {
        var cfg = new HardwareConfig { Lanes = 1, Rows = 1, WeightDepth = 4, ActDepth = 64, MaxK = 64 }.Validate();
        Assert.Null(DirectedCases.Layer(cfg, new SplitMix64(1), CaseKind.MaxKMostPositive));
    }

    [Theory]
    [InlineData(CaseKind.RandomProgram)]
    [InlineData(CaseKind.ProgramFromReset)]
    [InlineData(CaseKind.ProgramFillsImem)]
    public void Programs_fill_every_memory_end_in_halt_and_take_the_cycles_the_contract_predicts(CaseKind kind)
    {
        int seed = TestSeed.Seed(5, output);
        foreach (HardwareConfig cfg in CaseGenerator.Configs(20261122, 6))
            for (int i = 0; i < 20; i++)
            {
                ProgramCase p = RandomPrograms.Make(cfg, new SplitMix64(seed + i), kind);
                Assert.Equal(cfg.WeightDepth, p.WeightWords.Count);
                Assert.Equal(cfg.ActDepth, p.ActivationWords.Count);
                Assert.True(p.Instructions.Count <= cfg.InstrDepth);
                if (kind == CaseKind.ProgramFillsImem) Assert.Equal(cfg.InstrDepth - 1, p.HaltIndex);
                if (kind == CaseKind.ProgramFromReset)
                {
                    Assert.Equal(Opcode.Out, Isa.OpcodeOf(p.Instructions[0]));
                    Assert.DoesNotContain(p.Instructions, w => Isa.OpcodeOf(w) == Opcode.Clr);
                }
                var run = CoSimulation.RunProgram(p, [new SimulatorModel(new Engine(cfg))]);
                Assert.True(run.Agrees, $"seed {seed + i} {cfg.Tag} {kind}: {run.Describe()}");
            }
    }

    [Fact]
    public void A_start_pulse_while_busy_is_ignored()
    {
        var cfg = Config(2);
        ProgramCase p = RandomPrograms.Make(cfg, new SplitMix64(3), CaseKind.RandomProgram);
        var pulsed = p with { StartPulses = [1, (int)p.PredictedCycles - 1] };
        var run = CoSimulation.RunProgram(pulsed, [new SimulatorModel(new Engine(cfg))]);
        Assert.True(run.Agrees, run.Describe());
        Assert.Equal(p.PredictedCycles, run.Lockstep.Runs[0].BusyCycles);
    }

    private static long[] Acc(HardwareConfig cfg, Layer layer)
    {
        var sim = Simulator.Run(LayerCompiler.Compile(layer, cfg).Image);
        long[] reference = Reference.Scalar(layer);
        Assert.Equal(reference, sim.Acc.Select(a => (long)a).ToArray());
        return reference;
    }
}
