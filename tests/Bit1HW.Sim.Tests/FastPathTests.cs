using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Testing;
using Bit1HW.Sim.Fast;
using Xunit.Abstractions;

namespace Bit1HW.Sim.Tests;

/// <summary>
/// The fast path against the cycle-by-cycle engine on the same port-level sequence: reset, host
/// writes of random words (the unused ternary code 10 included), several runs of a random
/// instruction stream without a reset in between (so accumulators, pointers and tiles still in
/// flight carry over; every third program has no CLR at all, so its sums run on from reset), read-backs, idle edges and
/// rewritten activations between runs. After every step both must agree on busy cycles, pc,
/// pointers, every accumulator, every output word read back and every activity counter.
/// </summary>
public class FastPathTests(ITestOutputHelper output)
{
    private static readonly int[] LaneChoices = [1, 2, 3, 4, 5, 7, 8, 12, 16, 17, 31, 32, 33, 64, 65, 100];

    [Theory]
    [InlineData(21, KernelIsa.Avx512)]
    [InlineData(22, KernelIsa.Avx512)]
    [InlineData(23, KernelIsa.Avx2)]
    [InlineData(24, KernelIsa.Scalar)]
    public void Random_programs_and_configurations_give_the_cycle_path_results_on_the_fast_path(int seedBase, KernelIsa isa)
    {
        if (!TileKernel.IsSupported(isa))
        {
            output.WriteLine($"skipped: {isa} is not supported by this CPU");
            return;
        }
        int seed = TestSeed.Seed(seedBase, output);
        var rng = new SplitMix64(seed);
        for (int trial = 0; trial < 60; trial++)
        {
            HardwareConfig c = RandomConfig(rng);
            string? first = Compare(rng, c, isa, FastFault.None, clear: trial % 3 != 0).FirstOrDefault();
            Assert.True(first is null, $"seed {seed} trial {trial} config {c.Tag}: {first}");
        }
    }

    [Theory]
    [InlineData((int)FastFault.LandOneCycleLate)]
    [InlineData((int)FastFault.ClrDropsLandingTile)]
    [InlineData((int)FastFault.OutSeesLandingTile)]
    public void The_comparison_catches_a_planted_fast_path_fault(int faultId)
    {
        var rng = TestSeed.Rng(21, output);
        bool caught = false;
        for (int trial = 0; trial < 60 && !caught; trial++)
            caught = Compare(rng, RandomConfig(rng), TileKernel.Best, (FastFault)faultId).Any();
        Assert.True(caught, $"fault {(FastFault)faultId} went unnoticed");
    }

    private static HardwareConfig RandomConfig(SplitMix64 rng)
    {
        int lanes = LaneChoices[rng.Next(LaneChoices.Length)];
        int actDepth = rng.Next(2) == 0 ? 8 : 16;
        return new HardwareConfig
        {
            Lanes = lanes, Rows = rng.Next(1, 7), ActBits = new[] { 2, 4, 7, 8 }[rng.Next(4)], PipeEvery = rng.Next(1, 4),
            Pe = rng.Next(3) == 0 ? PeKind.Mac : PeKind.Ternary,
            WeightDepth = 8, ActDepth = actDepth, OutDepth = 4, InstrDepth = 64, MaxK = actDepth * lanes,
        }.Validate();
    }

    /// <summary>Drives both engines through one random sequence; yields every disagreement.</summary>
    private static IEnumerable<string> Compare(SplitMix64 rng, HardwareConfig c, KernelIsa isa, FastFault fault, bool clear = true)
    {
        var slow = new Engine(c);
        var fast = new FastEngine(c, isa, fault);
        slow.Step(new TopInputs(Rst: true));
        fast.Reset();
        uint[] prog = RandomPrograms.Generate(rng, c, clear);
        for (int i = 0; i < c.InstrDepth; i++)
        {
            uint word = i < prog.Length ? prog[i] : (uint)rng.NextUInt64();
            slow.Step(new TopInputs(HostWe: true, HostSel: 0, HostAddr: (uint)i, HostWData: [word]));
            fast.WriteInstruction((uint)i, word);
        }
        for (int i = 0; i < c.WeightDepth; i++) WriteWord(rng, slow, fast, 1, i);
        for (int i = 0; i < c.ActDepth; i++) WriteWord(rng, slow, fast, 2, i);
        for (int run = 0; run < 3; run++)
        {
            long slowBusy = slow.Step(new TopInputs(Start: true)).Busy ? 1 : 0;
            while (slow.Step(new TopInputs()).Busy) slowBusy++;
            long fastBusy = fast.Run(10_000);
            if (slowBusy != fastBusy) yield return $"run {run}: busy {slowBusy} cycles, fast {fastBusy}";
            foreach (string d in State(slow, fast, $"run {run}")) yield return d;
            for (uint word = 0; word < c.OutDepth; word++)
                for (uint row = 0; row <= c.Rows; row++)   // row = rows reads 0
                {
                    int a = slow.Step(new TopInputs(HostRAddr: word, HostRRow: row)).HostRData, b = fast.ReadOutput(word, row);
                    if (a != b) yield return $"run {run}: omem[{word}] row {row} = {a}, fast {b}";
                }
            int idle = rng.Next(4);
            for (int k = 0; k < idle; k++) slow.Step(new TopInputs());
            fast.Idle(idle);
            if (rng.Next(2) == 0) WriteWord(rng, slow, fast, 2, rng.Next(c.ActDepth));
            foreach (string d in State(slow, fast, $"after run {run}")) yield return d;
        }
    }

    private static IEnumerable<string> State(Engine slow, FastEngine fast, string when)
    {
        if (slow.Outputs.DbgPc != fast.ProgramCounter) yield return $"{when}: pc {slow.Outputs.DbgPc}, fast {fast.ProgramCounter}";
        if (slow.WeightPointer != fast.WeightPointer || slow.ActivationPointer != fast.ActivationPointer)
            yield return $"{when}: wp/ap {slow.WeightPointer}/{slow.ActivationPointer}, fast {fast.WeightPointer}/{fast.ActivationPointer}";
        for (int r = 0; r < slow.Config.Rows; r++)
            if (slow.Accumulator(r) != fast.Accumulator(r)) yield return $"{when}: acc row {r} = {slow.Accumulator(r)}, fast {fast.Accumulator(r)}";
        string a = Counters(slow.Activity), b = Counters(fast.Activity);
        if (a != b) yield return $"{when}: activity\n  cycle path {a}\n  fast path  {b}";
    }

    /// <summary>Every counter of the simulator report, in one line.</summary>
    internal static string Counters(ActivityCounters a) =>
        $"instructions {a.InstructionsIssued}, tiles {a.MacTiles}, zero weights {a.TermsZeroWeight}, acc adds {a.AccumulatorAdds}, " +
        $"acc loads {a.AccumulatorLoads}, outs {a.OutputWrites}, writes {a.SramWriteBits}, reads {a.SramReadBits}, registers {a.RegisterBitsWritten}, " +
        $"additions [{string.Join(' ', a.AdditionsByWidthBits())}], multiplies [{string.Join(' ', a.MultipliesByWidthBits())}]";

    /// <summary>
    /// A random host word written to both engines, field by field (actBits per activation, WeightBits
    /// per weight): all fields at the minimum (-2^(b-1); for a ternary weight the unused code 10), all
    /// at the maximum, all -1, or random.
    /// </summary>
    private static void WriteWord(SplitMix64 rng, Engine slow, FastEngine fast, int sel, int address)
    {
        HardwareConfig c = slow.Config;
        int width = sel == 1 ? c.WeightBits : c.ActBits, fields = sel == 1 ? c.Rows * c.Lanes : c.Lanes;
        var m = new MemoryImage(sel == 1 ? c.WeightWordBits : c.ActWordBits, 1, 1);
        int corner = rng.Next(5);
        for (int f = 0; f < fields; f++)
        {
            uint value = corner switch { 0 => 1u << (width - 1), 1 => (1u << (width - 1)) - 1, 2 => uint.MaxValue, _ => (uint)rng.NextUInt64() };
            m.SetBits(0, f * width, width, value & ((1u << width) - 1));
        }
        uint[] limbs = m.Word(0).ToArray();
        slow.Step(new TopInputs(HostWe: true, HostSel: sel, HostAddr: (uint)address, HostWData: limbs));
        if (sel == 1) fast.WriteWeights((uint)address, limbs);
        else fast.WriteActivations((uint)address, limbs);
    }
}
