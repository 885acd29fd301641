using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Xunit.Abstractions;

namespace Bit1HW.Sim.Tests;

/// <summary>
/// Random instruction streams (including CLR and OUT at arbitrary distances from the landing
/// tiles, pointer wrap, back-to-back OUTs and NOP/MAC counts of 2^RepeatBits and more) run on the
/// engine and on a direct transcription of the timing rules of docs/hardware.md written here: a
/// tile read in cycle x lands in cycle x + 1 + L, acc := (CLR ? 0 : acc) + landing, OUT stores acc
/// at the start of its cycle, NOP/MAC use their count modulo 2^RepeatBits (a 0 count: one cycle
/// that reads nothing).
/// </summary>
public class RandomProgramTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(11, 4, 2, 1)]
    [InlineData(12, 5, 3, 2)]
    [InlineData(13, 1, 1, 1)]
    [InlineData(14, 16, 2, 3)]
    public void Random_programs_leave_the_output_buffer_the_timing_rules_predict(int seedBase, int lanes, int rows, int pipeEvery)
    {
        int seed = TestSeed.Seed(seedBase, output);
        string? first = Mismatches(seed, lanes, rows, pipeEvery, SimFault.None).FirstOrDefault();
        Assert.True(first is null, first);
    }

    [Theory]
    [InlineData((int)SimFault.ExtraPipelineRegister)]
    [InlineData((int)SimFault.ClrIgnoresLandingTile)]
    [InlineData((int)SimFault.FullWidthRepeatCount)]
    public void The_random_program_check_catches_an_injected_timing_fault(int faultId)
    {
        int seed = TestSeed.Seed(11, output);
        Assert.NotEmpty(Mismatches(seed, 4, 2, 1, (SimFault)faultId));
    }

    private static IEnumerable<string> Mismatches(int seed, int lanes, int rows, int pipeEvery, SimFault fault)
    {
        var rng = new SplitMix64(seed);
        HardwareConfig c = new HardwareConfig
        {
            Lanes = lanes, Rows = rows, PipeEvery = pipeEvery, WeightDepth = 8, ActDepth = 8, OutDepth = 4, InstrDepth = 64, MaxK = 8 * lanes,
        }.Validate();
        for (int trial = 0; trial < 40; trial++)
        {
            var w = new int[c.WeightDepth, rows, lanes];
            var a = new int[c.ActDepth, lanes];
            foreach (var (i, r, j) in Indices(c.WeightDepth, rows, lanes)) w[i, r, j] = rng.Next(-1, 2);
            for (int i = 0; i < c.ActDepth; i++) for (int j = 0; j < lanes; j++) a[i, j] = rng.Next(-128, 128);
            uint[] prog = RandomProgram(rng, c);
            var (expected, predictedBusy) = Model(c, prog, w, a);
            var (actual, busy) = RunEngine(c, prog, w, a, fault);
            if (busy != predictedBusy)
                yield return $"seed {seed} trial {trial} config {c.Tag}: busy {busy} cycles, rules {predictedBusy}\n" +
                    string.Join("\n", prog.Select(Isa.Disassemble));
            for (int word = 0; word < c.OutDepth; word++)
            for (int r = 0; r < rows; r++)
                if (expected[word, r] != actual[word, r])
                    yield return $"seed {seed} trial {trial} config {c.Tag}: omem[{word}] row {r} engine {actual[word, r]}, rules {expected[word, r]}\n" +
                        string.Join("\n", prog.Select(Isa.Disassemble));
        }
    }

    private static IEnumerable<(int, int, int)> Indices(int a, int b, int c)
    {
        for (int i = 0; i < a; i++) for (int j = 0; j < b; j++) for (int k = 0; k < c; k++) yield return (i, j, k);
    }

    private static uint[] RandomProgram(SplitMix64 rng, HardwareConfig c)
    {
        var words = new List<uint>();
        int n = rng.Next(1, 40);
        for (int i = 0; i < n; i++)
        {
            Instruction ins = rng.Next(6) switch
            {
                0 => new(Opcode.SetW, (uint)rng.Next(c.WeightDepth)),
                1 => new(Opcode.SetA, (uint)rng.Next(c.ActDepth)),
                2 => new(Opcode.Mac, (uint)(rng.Next(8) == 0 ? rng.Next(14, 40) : rng.Next(1, 12))),   // may wrap the pointers and the count
                3 => new(Opcode.Clr, 0),
                4 => new(Opcode.Out, (uint)rng.Next(c.OutDepth)),
                _ => new(Opcode.Nop, (uint)(rng.Next(8) == 0 ? rng.Next(15, 34) : rng.Next(1, 4))),
            };
            words.Add(ins.Encode());
        }
        words.Add(new Instruction(Opcode.Halt, 0).Encode());
        return [.. words];
    }

    /// <summary>The rules, cycle by cycle; unwritten omem rows stay null, and the busy cycle count. Starts from reset (acc = 0, wp = ap = 0).</summary>
    private static (int?[,] Omem, long Busy) Model(HardwareConfig c, uint[] prog, int[,,] w, int[,] a)
    {
        int rows = c.Rows, lanes = c.Lanes, latency = c.PeLatencyCycles;
        var omem = new int?[c.OutDepth, rows];
        var acc = new long[rows];
        var landing = new Dictionary<long, long[]>();
        long cycle = 2, wp = 0, ap = 0;   // cycles 0 and 1 fetch
        foreach (uint word in prog)
        {
            Opcode op = Isa.OpcodeOf(word);
            uint operand = Isa.OperandOf(word);
            long count = op is Opcode.Nop or Opcode.Mac ? operand % (1L << c.RepeatBits) : 1;
            for (long i = 0; i < Math.Max(1, count); i++, cycle++)
            {
                if (op == Opcode.Out) for (int r = 0; r < rows; r++) omem[operand, r] = (int)acc[r];
                if (op == Opcode.Mac && count > 0)
                {
                    var dot = new long[rows];
                    for (int r = 0; r < rows; r++) for (int j = 0; j < lanes; j++) dot[r] += w[wp, r, j] * a[ap, j];
                    landing[cycle + 1 + latency] = dot;
                    wp = (wp + 1) % c.WeightDepth;
                    ap = (ap + 1) % c.ActDepth;
                }
                landing.TryGetValue(cycle, out long[]? lands);
                for (int r = 0; r < rows; r++) acc[r] = Wrap((op == Opcode.Clr ? 0 : acc[r]) + (lands?[r] ?? 0), c.AccBits);
                if (op == Opcode.SetW) wp = operand;
                if (op == Opcode.SetA) ap = operand;
            }
        }
        return (omem, cycle);
    }

    /// <summary>The AccBits-wide accumulator register: a random program may stream more than maxK tiles without a CLR.</summary>
    private static long Wrap(long value, int bits) => value << (64 - bits) >> (64 - bits);

    private static (int?[,] Omem, long Busy) RunEngine(HardwareConfig c, uint[] prog, int[,,] w, int[,] a, SimFault fault = SimFault.None)
    {
        var e = new Engine(c, fault);
        e.Step(new TopInputs(Rst: true));
        for (int i = 0; i < prog.Length; i++) e.Step(new TopInputs(HostWe: true, HostSel: 0, HostAddr: (uint)i, HostWData: [prog[i]]));
        for (int i = 0; i < c.WeightDepth; i++)
        {
            var m = new MemoryImage(c.WeightWordBits, c.WeightDepth, 1);
            for (int r = 0; r < c.Rows; r++)
                for (int j = 0; j < c.Lanes; j++) m.SetBits(0, (r * c.Lanes + j) * 2, 2, (uint)w[i, r, j] & 3);
            e.Step(new TopInputs(HostWe: true, HostSel: 1, HostAddr: (uint)i, HostWData: m.Word(0).ToArray()));
        }
        for (int i = 0; i < c.ActDepth; i++)
        {
            var m = new MemoryImage(c.ActWordBits, c.ActDepth, 1);
            for (int j = 0; j < c.Lanes; j++) m.SetBits(0, j * 8, 8, (uint)a[i, j] & 0xFF);
            e.Step(new TopInputs(HostWe: true, HostSel: 2, HostAddr: (uint)i, HostWData: m.Word(0).ToArray()));
        }
        // omem is undefined until written: read back only the words the program OUTs to.
        var written = new HashSet<uint>(prog.Where(x => Isa.OpcodeOf(x) == Opcode.Out).Select(Isa.OperandOf));
        long busy = e.Step(new TopInputs(Start: true)).Busy ? 1 : 0;
        while (e.Step(new TopInputs()).Busy) busy++;
        var omem = new int?[c.OutDepth, c.Rows];
        foreach (uint word in written)
            for (int r = 0; r < c.Rows; r++)
                omem[word, r] = e.Step(new TopInputs(HostRAddr: word, HostRRow: (uint)r)).HostRData;
        return (omem, busy);
    }
}
