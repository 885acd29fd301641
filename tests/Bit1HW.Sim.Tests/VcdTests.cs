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
}
