using Bit1HW.Core;
using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim.Tests;

public class VcdTests
{
    /// <summary>A minimal VCD reader: signal name → (time, value) changes in order.</summary>
    private static Dictionary<string, List<(long Time, ulong Value)>> Parse(string vcd)
    {
        var names = new Dictionary<string, string>();
        var changes = new Dictionary<string, List<(long, ulong)>>();
        long time = -1;
        foreach (string line in vcd.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] p = line.Split(' ');
            if (p[0] == "$var") { names[p[3]] = p[4]; changes[p[4]] = []; }
            else if (line[0] == '#') time = long.Parse(line[1..]);
            else if (line[0] == 'b') changes[names[p[1]]].Add((time, Convert.ToUInt64(p[0][1..], 2)));
            else if (line[0] is '0' or '1') changes[names[line[1..]]].Add((time, (ulong)(line[0] - '0')));
        }
        return changes;
    }

    private static ulong At(List<(long Time, ulong Value)> changes, long time) =>
        changes.Where(c => c.Time <= time).Select(c => c.Value).LastOrDefault();

    [Fact]
    public void The_vcd_shows_dbg_acc_en_exactly_while_the_tiles_land()
    {
        HardwareConfig c = TestLayers.Config(16, 4, 8, 2, PeKind.Ternary);
        ProgramImage image = LayerCompiler.Compile(TestLayers.Make(new SplitMix64(3), new Workload(1, 4, 48), c, 0), c).Image;
        var text = new StringWriter { NewLine = "\n" };
        Simulator.Run(image, new VcdWriter(text, c));
        var v = Parse(text.ToString());

        Assert.True(text.ToString().Contains("$enddefinitions $end"), "header");
        long busyRise = v["busy"].First(x => x.Value == 1).Time;   // shows busy cycle 0 (the first fetch cycle)
        int mac = Array.FindIndex(image.Instructions, w => Isa.OpcodeOf(w) == Opcode.Mac);
        long macCycle = 2 + image.Instructions.Take(mac).Sum(image.Config.InstructionCycles);
        long first = busyRise + 10 * (macCycle + 1 + c.PeLatencyCycles);
        Assert.Equal(0ul, At(v["dbg_acc_en"], first - 10));
        for (int k = 0; k < 3; k++) Assert.Equal(1ul, At(v["dbg_acc_en"], first + 10 * k));   // 48 / 16 = 3 tiles
        Assert.Equal(0ul, At(v["dbg_acc_en"], first + 30));
        Assert.Equal(1ul, At(v["clk"], first));
        Assert.Equal(0ul, At(v["clk"], first + 5));
        long busyFall = v["busy"].Last(x => x.Value == 0).Time;
        Assert.Equal(image.PredictedCycles * 10, busyFall - busyRise);
    }

    [Fact]
    public void A_streaming_vcd_shows_the_burst_its_beat_and_the_stall_cycles()
    {
        // The hand-counted run of StreamTimingTests: burst presented in busy cycle 4, its beat in 9, stalls in 6..9.
        HardwareConfig c = StreamImages.Config(lanes: 4, rows: 2, axiDataBits: 32, burstBeats: 1, maxOutstanding: 1, weightDepth: 4);
        ProgramImage image = StreamImages.Image(c, TestLayers.Make(new SplitMix64(5), new Workload(1, 2, 8), c, 0));
        var text = new StringWriter { NewLine = "\n" };
        Simulator.Run(image, MemoryModel.Nominal(new MemoryTiming(5)), new VcdWriter(text, c));
        var v = Parse(text.ToString());
        long busyRise = v["busy"].First(x => x.Value == 1).Time;
        long Cycle(int c) => busyRise + 10 * c;   // outputs of busy cycle c; its inputs half a clock later
        int[] Ones(string name, Func<int, long> time) => [.. Enumerable.Range(0, 18).Where(k => At(v[name], time(k)) == 1)];
        Assert.Equal([4], Ones("m_axi_arvalid", Cycle));
        Assert.Equal(StreamImages.StreamAddress(c), At(v["m_axi_araddr"], Cycle(4)));
        Assert.Equal(1ul, At(v["m_axi_arready"], Cycle(4) + 5));
        Assert.Equal([9], Ones("m_axi_rvalid", k => Cycle(k) + 5));
        Assert.Equal([6, 7, 8, 9], Ones("dbg_stall", Cycle));
        Assert.Empty(Ones("axi_error", Cycle));
    }
}
