using Bit1HW.Core.Text;
using Bit1HW.Core;
using System.Globalization;
using System.Numerics;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.HdlGen.Gen;

namespace Bit1HW.HdlGen.Tests;

/// <summary>
/// Runs a program through the generated engine top under iverilog and checks, cycle by cycle, the
/// timing rules of docs/hardware.md as this test derives them from the document (not from Core's
/// Isa.Cycles): busy lasts N = 2 + Σ cycles, a NOP/MAC count is taken modulo 2^RepeatBits, dbg_pc
/// shows 0 in both fetch cycles and then each instruction's index for its duration, dbg_acc_en is 1
/// exactly L + 1 cycles after each MAC read, and OUT stores the accumulators (checked against dot
/// products computed here).
/// </summary>
public class TopHarnessTests
{
    [ToolTheory("iverilog", "vvp")]
    [InlineData(3, 2, 8, 1, "ternary", 5)]
    [InlineData(16, 3, 8, 2, "ternary", 6)]
    [InlineData(5, 2, 4, 2, "mac", 7)]
    public void The_engine_follows_the_timing_contract_cycle_by_cycle(int lanes, int rows, int actBits, int pipeEvery, string pe, int seed)
    {
        var cfg = Configs.Small(lanes, rows, actBits, pipeEvery, pe == "mac" ? PeKind.Mac : PeKind.Ternary);
        string? mismatch = Run(cfg, GeneratorFaults.None, seed);
        Assert.True(mismatch is null, $"seed {seed}, {cfg.Tag}: {mismatch}");
    }

    [ToolFact("iverilog", "vvp")]
    public void The_harness_catches_a_repeat_counter_that_is_off_by_one()
    {
        Assert.NotNull(Run(Configs.Small(3, 1), GeneratorFaults.RepeatCounterOffByOne, 1));
    }

    private static uint[] Program(HardwareConfig cfg)
    {
        uint L = (uint)cfg.PeLatencyCycles;
        uint I(Opcode op, uint n = 0) => new Instruction(op, n).Encode();
        uint wrap = 1u << cfg.RepeatBits;
        // NOP 0, an undefined opcode, MAC 0, and counts of 2^RepeatBits + k (the hardware keeps k):
        // MAC 2^R reads nothing, NOP 2^R + 2 waits two cycles.
        return
        [
            I(Opcode.Nop, 0), 0x8000_0005u, I(Opcode.Clr), I(Opcode.SetW, 1), I(Opcode.SetA, 2), I(Opcode.Mac, 3),
            I(Opcode.Mac, 0), I(Opcode.Mac, wrap), I(Opcode.Nop, L + 1), I(Opcode.Out, 5), I(Opcode.SetW, 0), I(Opcode.SetA, 0),
            I(Opcode.Mac, 1), I(Opcode.Nop, L + 1), I(Opcode.Out, 6), I(Opcode.Clr), I(Opcode.Nop, wrap + 2), I(Opcode.Out, 7),
            I(Opcode.Halt),
        ];
    }

    internal static string? Run(HardwareConfig cfg, GeneratorFaults faults, int seed)
    {
        var rng = new SplitMix64(seed);
        long lo = -(1L << (cfg.ActBits - 1)), hi = (1L << (cfg.ActBits - 1)) - 1;
        long[][][] w = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, cfg.Rows).Select(_ =>
            Enumerable.Range(0, cfg.Lanes).Select(_ => cfg.Pe == PeKind.Ternary ? rng.NextInt64(-1, 2) : rng.NextInt64(-128, 128)).ToArray()).ToArray()).ToArray();
        long[][] a = Enumerable.Range(0, 5).Select(_ => Enumerable.Range(0, cfg.Lanes).Select(_ => rng.NextInt64(lo, hi + 1)).ToArray()).ToArray();
        if (seed % 2 == 1) a[2] = Enumerable.Repeat(lo, cfg.Lanes).ToArray(); // a worst case on the way
        uint[] prog = Program(cfg);

        using var g = new GeneratedDir(cfg, faults);
        File.WriteAllText(Path.Combine(g.Path, "tb.v"), Bench(cfg, prog, w, a));
        var c = Tools.Run("iverilog", g.Path, ["-g2012", "-o", "top.vvp", "-s", "tb", "tb.v", .. g.EngineVerilog]);
        Assert.True(c.ExitCode == 0, c.Stderr + c.Stdout);
        var lines = Tools.Run("vvp", g.Path, "-n", "top.vvp").Stdout.Split('\n');

        // Expected trace, from the document: the bench's cycle 0 has start = 1; busy cycles 1 and 2
        // are the fetch cycles (dbg_pc 0); instruction i then runs max(1, n mod 2^RepeatBits) cycles
        // for NOP/MAC n and one cycle otherwise; a MAC cycle t with a nonzero count reads a tile
        // whose sum is added (dbg_acc_en) in cycle t + 1 + L.
        var expectPc = new List<long> { 0, 0 };
        var accEnCycles = new HashSet<int>();
        long repeatMask = (1L << cfg.RepeatBits) - 1;
        for (int i = 0; i < prog.Length; i++)
        {
            Opcode op = Isa.OpcodeOf(prog[i]);
            long count = Isa.OperandOf(prog[i]) & repeatMask;
            long n = op is Opcode.Nop or Opcode.Mac ? Math.Max(1, count) : 1;
            for (int k = 0; k < n; k++)
            {
                int cycle = 1 + expectPc.Count;
                if (op == Opcode.Mac && count != 0) accEnCycles.Add(cycle + 1 + cfg.PeLatencyCycles);
                expectPc.Add(i);
            }
        }
        int busyCycles = expectPc.Count; // N = 2 + Σ cycles
        int traced = lines.Count(l => l.StartsWith("C ", StringComparison.Ordinal));
        int reads = lines.Count(l => l.StartsWith("R ", StringComparison.Ordinal));
        if (traced < busyCycles + 2 || reads != 3 * cfg.Rows) return $"simulation printed {traced} trace lines and {reads} reads";
        foreach (string line in lines.Where(l => l.StartsWith("C ", StringComparison.Ordinal)))
        {
            int[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            int cyc = f[0], busy = f[1], done = f[2], pc = f[3], accEn = f[4];
            bool busyExp = cyc >= 1 && cyc <= busyCycles;
            if (busy != (busyExp ? 1 : 0)) return $"cycle {cyc}: busy {busy}, expected {(busyExp ? 1 : 0)} (N = {busyCycles})";
            if (done != (cyc > busyCycles ? 1 : 0)) return $"cycle {cyc}: done {done}";
            if (busyExp && pc != expectPc[cyc - 1]) return $"cycle {cyc}: dbg_pc {pc}, expected {expectPc[cyc - 1]}";
            if (accEn != (accEnCycles.Contains(cyc) ? 1 : 0)) return $"cycle {cyc}: dbg_acc_en {accEn}";
        }
        long Dot(int row, int wi, int ai) => Enumerable.Range(0, cfg.Lanes).Sum(j => w[wi][row][j] * a[ai][j]);
        foreach (string line in lines.Where(l => l.StartsWith("R ", StringComparison.Ordinal)))
        {
            long[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            int addr = (int)f[0], row = (int)f[1];
            long first = Dot(row, 1, 2) + Dot(row, 2, 3) + Dot(row, 3, 4);
            long exp = addr switch { 5 => first, 6 => first + Dot(row, 0, 0), _ => 0 };
            if (f[2] != exp) return $"omem[{addr}] row {row}: {f[2]}, expected {exp}";
        }
        return null;
    }

    /// <summary>The Icarus testbench (template <c>Templates/top_tb.v.sbn</c>): host writes of imem, wmem and amem, a start pulse, the run, then reads of omem words 5..7.</summary>
    private static string Bench(HardwareConfig cfg, uint[] prog, long[][][] w, long[][] a)
    {
        var writes = new List<object>();
        void Write(int sel, int addr, BigInteger data) => writes.Add(new { sel, addr, data = data.ToString("x", CultureInfo.InvariantCulture) });
        for (int i = 0; i < prog.Length; i++) Write(0, i, prog[i]);
        for (int i = 0; i < w.Length; i++)
        {
            BigInteger word = 0;
            for (int r = 0; r < cfg.Rows; r++)
                for (int j = 0; j < cfg.Lanes; j++)
                {
                    long code = cfg.Pe == PeKind.Ternary ? TernaryCode.Encode((sbyte)w[i][r][j]) : w[i][r][j] & 0xFF;
                    word |= (BigInteger)code << ((r * cfg.Lanes + j) * cfg.WeightBits);
                }
            Write(1, i, word);
        }
        for (int i = 0; i < a.Length; i++)
        {
            BigInteger word = 0;
            for (int j = 0; j < cfg.Lanes; j++) word |= (BigInteger)(a[i][j] & ((1L << cfg.ActBits) - 1)) << (j * cfg.ActBits);
            Write(2, i, word);
        }
        var model = new
        {
            top = RtlGenerator.TopModule(cfg), addr_bits = cfg.HostAddrBits, data_bits = cfg.HostDataBits, out_addr_bits = cfg.OutAddrBits,
            row_bits = cfg.RowSelectBits, acc_bits = cfg.AccBits, pc_bits = cfg.InstrAddrBits, rows = cfg.Rows,
            run_cycles = prog.Length * 2 + 40 + 4 * cfg.PeLatencyCycles, writes,
        };
        return TextTemplate.Render(typeof(TopHarnessTests).Assembly, "templates/top_tb.v.sbn", model);
    }
}
