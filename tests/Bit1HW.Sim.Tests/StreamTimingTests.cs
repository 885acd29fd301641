using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim.Tests;

/// <summary>
/// The streaming engine and its memory slave against cycle numbers worked out by hand from
/// docs/hardware.md ("The stream engine", "Stalls", "Memory timing model"). Busy cycle 0 is the
/// first after the start edge; cycles 0 and 1 fetch.
/// </summary>
public class StreamTimingTests
{
    /// <summary>One busy cycle as the ports show it: the engine's outputs and the slave's inputs.</summary>
    internal readonly record struct Cycle(TopOutputs Out, bool RValid);

    /// <summary>Resets, loads imem and amem through the host port, starts with weight_base, and records every busy cycle.</summary>
    internal static List<Cycle> Trace(ProgramImage image, MemoryModel memory, SimFault fault = SimFault.None)
    {
        var e = new Engine(image.Config, fault);
        e.Step(new TopInputs(Rst: true));
        for (int i = 0; i < image.Instructions.Length; i++)
            e.Step(new TopInputs(HostWe: true, HostSel: 0, HostAddr: (uint)i, HostWData: [image.Instructions[i]]));
        for (int w = 0; w < image.Activations.WrittenWords; w++)
            e.Step(new TopInputs(HostWe: true, HostSel: 2, HostAddr: (uint)w, HostWData: image.Activations.Word(w).ToArray()));
        var slave = new MemorySlave(image.Config, image.External!, memory);
        var idle = new TopInputs(WeightBase: image.WeightBase);
        Step(e, slave, idle with { Start = true });
        var cycles = new List<Cycle>();
        while (e.Busy)
        {
            Assert.True(cycles.Count < 100_000, "runaway");
            cycles.Add(new Cycle(e.Outputs, slave.RValid));
            Step(e, slave, idle);
        }
        return cycles;
    }

    private static void Step(Engine e, MemorySlave slave, in TopInputs input)
    {
        TopOutputs before = e.Outputs;
        e.Step(slave.Drive(input));
        slave.Clock(before);
    }

    private static int[] Where(List<Cycle> trace, Func<Cycle, bool> f) => [.. Enumerable.Range(0, trace.Count).Where(c => f(trace[c]))];

    /// <summary>lanes 4, rows 2 (16-bit words), 32-bit beats, one-beat bursts (2 words), one outstanding, a 4-word ring; L = 3.</summary>
    private static HardwareConfig Small => StreamImages.Config(lanes: 4, rows: 2, axiDataBits: 32, burstBeats: 1, maxOutstanding: 1, weightDepth: 4);

    private static Layer OneGroup(SplitMix64 rng, HardwareConfig c) => TestLayers.Make(rng, new Workload(1, 2, 8), c, 0);

    [Fact]
    public void A_MAC_stalls_until_its_burst_arrives_and_the_run_takes_N_static_plus_the_stalls()
    {
        HardwareConfig c = Small;
        Layer layer = OneGroup(new SplitMix64(5), c);
        ProgramImage image = StreamImages.Image(c, layer);
        // SETS 3 (cycle 2), LOAD 1 (3), SETA 0 (4), CLR (5), MAC 2 (6..), NOP 4, OUT 0, HALT: N_static = 14.
        Assert.Equal(14, image.PredictedCycles);
        List<Cycle> trace = Trace(image, MemoryModel.Nominal(new MemoryTiming(5)));
        // The burst is presented in cycle 4 (LOAD ended in 3) and taken at once; its beat is due in 4 + 5 = 9.
        Assert.Equal([4], Where(trace, t => t.Out.ArValid));
        Assert.Equal(StreamImages.StreamAddress(c), trace[4].Out.ArAddr);
        Assert.Equal((0, 2, 1, true), (trace[4].Out.ArLen, trace[4].Out.ArSize, trace[4].Out.ArBurst, trace[4].Out.RReady));
        Assert.Equal([9], Where(trace, t => t.RValid));
        // The MAC waits in 6..9, reads in 10 and 11; its tiles land in 10 + 1 + 3 and 11 + 1 + 3.
        Assert.Equal([6, 7, 8, 9], Where(trace, t => t.Out.DbgStall));
        Assert.All(Where(trace, t => t.Out.DbgStall), cycle => Assert.Equal(4u, trace[cycle].Out.DbgPc));
        Assert.Equal([14, 15], Where(trace, t => t.Out.DbgAccEn));
        Assert.Equal(14 + 4, trace.Count);
    }

    [Fact]
    public void HALT_waits_for_every_burst_a_LOAD_queued_even_unread_ones()
    {
        HardwareConfig c = Small;
        Layer layer = OneGroup(new SplitMix64(6), c);
        // LOAD 3: two extra bursts (zero words past the stream, still in the image).
        ProgramImage image = WithLoad(StreamImages.Image(c, layer, extra => [.. extra, .. new byte[8]]), 3);
        List<Cycle> trace = Trace(image, MemoryModel.Nominal(new MemoryTiming(5)));
        // One outstanding: burst 1 is presented when burst 0's beat is in (cycle 10; the ring holds
        // 2 + 2 - 0 <= 4 words), burst 2 in 16 (4 + 2 - 2 words read by then). Beats in 9, 15, 21.
        Assert.Equal([4, 10, 16], Where(trace, t => t.Out.ArValid));
        Assert.Equal([9, 15, 21], Where(trace, t => t.RValid));
        // HALT (instruction 7, cycle 17 without stalls) waits until the last beat is taken in 21.
        Assert.Equal([6, 7, 8, 9, 17, 18, 19, 20, 21], Where(trace, t => t.Out.DbgStall));
        Assert.Equal(7u, trace[17].Out.DbgPc);
        Assert.Equal(14 + 9, trace.Count);
    }

    [Fact]
    public void Bursts_are_not_issued_without_room_in_the_ring()
    {
        // One-beat bursts of two words, three outstanding, an 8-word ring, memory fast (first beat
        // one cycle after the address); KT = 16, so LOAD 8. The MAC reads from cycle 6, a word per
        // cycle. Bursts go in 4..8 (issued words 10); in 9 the ring would need 10 + 2 - 3 > 8, so
        // from then on a burst goes every other cycle, as the MAC frees two words: 10, 12, 14.
        HardwareConfig c = StreamImages.Config(lanes: 4, rows: 2, axiDataBits: 32, burstBeats: 1, maxOutstanding: 3, weightDepth: 8);
        Layer layer = TestLayers.Make(new SplitMix64(7), new Workload(1, 2, 64), c, 0);
        ProgramImage image = StreamImages.Image(c, layer);
        var fast = MemoryModel.Nominal(new MemoryTiming(1));
        List<Cycle> trace = Trace(image, fast);
        Assert.Equal([4, 5, 6, 7, 8, 10, 12, 14], Where(trace, t => t.Out.ArValid));
        Assert.Empty(Where(trace, t => t.Out.DbgStall));
        Assert.Equal(image.PredictedCycles, trace.Count);
        // Without the room rule the stream overruns words the MACs have not read: wrong sums.
        long[] expected = TestLayers.Reference(layer);
        Assert.Equal(-1, TestLayers.FirstDifference(expected, Simulator.Run(image, SimFault.None, memory: fast).Acc));
        Assert.NotEqual(-1, TestLayers.FirstDifference(expected, Simulator.Run(image, SimFault.IssueIgnoresRingRoom, memory: fast).Acc));
    }

    private static ProgramImage WithLoad(ProgramImage image, int bursts)
    {
        uint[] prog = (uint[])image.Instructions.Clone();
        prog[1] = ((uint)Opcode.Load << Isa.OperandBits) | (uint)bursts;
        return new ProgramImage(image.Config, prog, image.Weights, image.Activations, image.Workload, image.OutputWord, image.OutputRow,
            image.PredictedCycles, image.External, image.WeightBase);
    }

    [Fact]
    public void The_slave_times_beats_at_ceil_of_exact_rational_times()
    {
        // 4-beat bursts, first beat 3 cycles after the address, 2 beats every 3 cycles. Burst 0's
        // address is taken in cycle 0, burst 1's in cycle 1: t = 3, 4.5, 6, 7.5 then
        // max(9, 1 + 3) = 9, 10.5, 12, 13.5, presented in the ceilings. Burst 2, taken in cycle 30,
        // starts at its own latency: 33, 34.5, 36, 37.5.
        HardwareConfig c = StreamImages.Config(lanes: 16, rows: 2, axiDataBits: 64, burstBeats: 4, maxOutstanding: 4);
        var slave = new MemorySlave(c, new ExternalMemory(0, new byte[4096]), MemoryModel.Nominal(new MemoryTiming(3, 2, 3)));
        var beats = new List<int>();
        for (int cycle = 0; cycle < 45; cycle++)
        {
            if (slave.RValid) beats.Add(cycle);
            bool present = cycle is 0 or 1 or 30;
            slave.Clock(new TopOutputs(false, false, 0, 0, false, ArValid: present, ArAddr: (ulong)cycle * 32, ArLen: 3, RReady: true));
        }
        Assert.Equal([3, 5, 6, 8, 9, 11, 12, 14, 33, 35, 36, 38], beats);
    }

    [Fact]
    public void The_slave_returns_the_image_bytes_little_endian_and_DECERR_outside_it()
    {
        HardwareConfig c = StreamImages.Config(lanes: 16, rows: 2, axiDataBits: 64, burstBeats: 2, maxOutstanding: 4);
        byte[] bytes = [.. Enumerable.Range(0, 16).Select(i => (byte)(0x10 + i))];
        var slave = new MemorySlave(c, new ExternalMemory(0x100, bytes), MemoryModel.Nominal(new MemoryTiming(1)));
        var seen = new List<(uint, uint, int, bool)>();
        for (int cycle = 0; cycle < 8; cycle++)
        {
            if (slave.RValid) seen.Add((slave.RData[0], slave.RData[1], slave.RResp, slave.RLast));
            ulong address = cycle == 0 ? 0x100UL : 0x108UL;   // the second burst runs past the image
            slave.Clock(new TopOutputs(false, false, 0, 0, false, ArValid: cycle < 2, ArAddr: address, ArLen: 1, RReady: true));
        }
        Assert.Equal([(0x13121110u, 0x17161514u, 0, false), (0x1b1a1918u, 0x1f1e1d1cu, 0, true),
            (0x1b1a1918u, 0x1f1e1d1cu, 0, false), (0u, 0u, 3, true)], seen);
    }

    [Fact]
    public void Random_backpressure_replays_from_its_seed_and_changes_with_it()
    {
        HardwareConfig c = StreamImages.Config(lanes: 16, rows: 2, axiDataBits: 64, burstBeats: 4, maxOutstanding: 4);
        int[] Beats(ulong seed)
        {
            var slave = new MemorySlave(c, new ExternalMemory(0, new byte[4096]), MemoryModel.RandomBackpressure(new MemoryTiming(2), seed));
            var beats = new List<int>();
            for (int cycle = 0; cycle < 200; cycle++)
            {
                if (slave.RValid) beats.Add(cycle);
                bool present = cycle % 10 == 0;
                slave.Clock(new TopOutputs(false, false, 0, 0, false, ArValid: present && slave.ArReady, ArAddr: 0, ArLen: 3, RReady: true));
            }
            return [.. beats];
        }
        Assert.Equal(Beats(11), Beats(11));
        Assert.NotEqual(Beats(11), Beats(12));
        Assert.Contains("seed 11", MemoryModel.RandomBackpressure(new MemoryTiming(2), 11).ToString());
    }

    [Fact]
    public void A_beat_the_master_does_not_take_stays_on_the_bus_even_under_random_gaps()
    {
        HardwareConfig c = StreamImages.Config(lanes: 16, rows: 2, axiDataBits: 64, burstBeats: 4, maxOutstanding: 4);
        byte[] bytes = [.. Enumerable.Range(0, 64).Select(i => (byte)i)];
        var slave = new MemorySlave(c, new ExternalMemory(0, bytes), MemoryModel.RandomBackpressure(new MemoryTiming(1), 3));
        var taken = new List<uint>();
        for (int cycle = 0; cycle < 200; cycle++)
        {
            bool rready = cycle % 3 == 0;   // a slow master
            bool shown = slave.RValid;
            uint data = slave.RData[0];
            slave.Clock(new TopOutputs(false, false, 0, 0, false, ArValid: cycle < 8 && slave.ArReady, ArAddr: 0, ArLen: 3, RReady: rready));
            if (shown && rready) taken.Add(data);
            if (shown && !rready)
            {
                Assert.True(slave.RValid, $"cycle {cycle}: rvalid dropped before rready");
                Assert.Equal(data, slave.RData[0]);
            }
        }
        Assert.Equal(0x03020100u, taken[0]);
        Assert.True(taken.Count >= 8);
    }
}
