using Bit1HW.Core;
using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim.Tests;

public class VcdTests
{
    private static readonly HardwareConfig Config = TestLayers.Config(16, 4, 8, 2, PeKind.Ternary);

    private static (VcdReader Vcd, ProgramImage Image, VcdWriter Writer) Run()
    {
        ProgramImage image = LayerCompiler.Compile(TestLayers.Make(new SplitMix64(3), new Workload(1, 4, 48), Config, 0), Config).Image;
        var text = new StringWriter { NewLine = "\n" };
        var writer = new VcdWriter(text, Config);
        Simulator.Run(image, writer);
        return (VcdReader.Parse(text.ToString()), image, writer);
    }

    private static string Top => "bit1hw_top_" + Config.Tag;

    [Fact]
    public void The_vcd_shows_dbg_acc_en_exactly_while_the_tiles_land()
    {
        var (v, image, _) = Run();
        string accEn = Top + ".dbg_acc_en", busy = Top + ".busy", clk = Top + ".clk";
        long busyRise = v.Changes(busy).First(x => x.Value == 1).Time;   // shows busy cycle 0 (the first fetch cycle)
        int mac = Array.FindIndex(image.Instructions, w => Isa.OpcodeOf(w) == Opcode.Mac);
        long macCycle = Config.FetchCycles + image.Instructions.Take(mac).Sum(image.Config.InstructionCycles);
        long first = busyRise + 10 * (macCycle + 1 + Config.PeLatencyCycles);
        Assert.Equal(0, (int)v.At(accEn, first - 10));
        for (int k = 0; k < 3; k++) Assert.Equal(1, (int)v.At(accEn, first + 10 * k));   // 48 / 16 = 3 tiles
        Assert.Equal(0, (int)v.At(accEn, first + 30));
        Assert.Equal(1, (int)v.At(clk, first));
        Assert.Equal(0, (int)v.At(clk, first + 5));
        long busyFall = v.Changes(busy).Last(x => x.Value == 0).Time;
        Assert.Equal(image.PredictedCycles * 10, busyFall - busyRise);
    }

    [Fact]
    public void Rising_edges_are_at_ten_e_plus_five_nanoseconds_with_their_inputs_five_before()
    {
        var (v, image, _) = Run();
        Assert.Equal("1ns", v.Timescale);
        // Edge 0 is the reset; edge 1 writes instruction 0 through the host port.
        Assert.Equal([(0L, 1), (10L, 0)], v.Changes(Top + ".rst").Select(c => (c.Time, (int)c.Value)));
        Assert.Equal(10, v.Changes(Top + ".host_we").First(c => c.Value == 1).Time);
        Assert.Equal(image.Instructions[0], (uint)v.At($"{Top}.host_wdata[{Config.HostDataBits - 1}:0]", 10));
        Assert.Equal(1, (int)v.At(Top + ".imem.we", 10));
        Assert.Equal(5, v.Changes(Top + ".clk").First(c => c.Value == 1).Time);
        Assert.All(v.Changes($"{Top}.ctrl.pc[{Config.InstrAddrBits - 1}:0]"), c => Assert.Equal(5, c.Time % 10));
    }

    [Fact]
    public void Every_documented_port_and_each_scope_is_declared_with_its_width()
    {
        var (v, _, _) = Run();
        HardwareConfig c = Config;
        string[] expected =
        [
            "clk", "rst", "start", "host_we", "host_sel[1:0]", $"host_addr[{c.HostAddrBits - 1}:0]", $"host_wdata[{c.HostDataBits - 1}:0]",
            $"host_raddr[{c.OutAddrBits - 1}:0]", $"host_rrow[{c.RowSelectBits - 1}:0]", "busy", "done", $"host_rdata[{c.AccBits - 1}:0]",
            $"dbg_pc[{c.InstrAddrBits - 1}:0]", "dbg_acc_en",
            "ctrl.fetch", $"ctrl.wp[{c.WeightAddrBits - 1}:0]", "ctrl.ir[31:0]", "wmem.re", "omem.we",
            $"array.acc_3[{c.AccBits - 1}:0]", $"array.pe_0.out[{c.PeOutBits - 1}:0]",
        ];
        foreach (string name in expected) Assert.True(v.Variables.ContainsKey($"{Top}.{name}"), $"{name} is not declared");
    }

    [Fact]
    public void Accumulators_are_written_as_two_s_complement_and_marked_signed_in_the_save_file()
    {
        var (v, image, writer) = Run();
        var acc = v.Changes($"{Top}.array.acc_0[{Config.AccBits - 1}:0]").Select(c => c.Value).ToList();
        var expected = Simulator.Run(image).Acc[0];
        Assert.Contains(new System.Numerics.BigInteger(expected & ((1 << Config.AccBits) - 1)), acc);
        string[] save = writer.SaveFile("sim.vcd").Split('\n');
        int line = Array.IndexOf(save, $"+{{array/acc_0}} {Top}.array.acc_0[{Config.AccBits - 1}:0]");   // named by its scope
        Assert.True(line > 0, "acc_0 is in the save file");
        string flags = save[..line].Last(l => l.StartsWith('@'));
        Assert.True((Convert.ToInt32(flags[1..], 16) & 0x400) != 0, $"acc_0 is shown signed ({flags})");
        Assert.Contains("[dumpfile] \"sim.vcd\"", save);
    }

    [Fact]
    public void A_streaming_vcd_shows_the_burst_its_beat_and_the_stall_cycles()
    {
        // The hand-counted run of StreamTimingTests: burst presented in busy cycle 4, its beat in 9, stalls in 6..9.
        HardwareConfig c = StreamImages.Config(lanes: 4, rows: 2, axiDataBits: 32, burstBeats: 1, maxOutstanding: 1, weightDepth: 4);
        ProgramImage image = StreamImages.Image(c, TestLayers.Make(new SplitMix64(5), new Workload(1, 2, 8), c, 0));
        var text = new StringWriter { NewLine = "\n" };
        Simulator.Run(image, MemoryModel.Nominal(new MemoryTiming(5)), new VcdWriter(text, c));
        var v = VcdReader.Parse(text.ToString());
        string top = "bit1hw_top_" + c.Tag;
        long busyRise = v.Changes(top + ".busy").First(x => x.Value == 1).Time;
        long Cycle(int k) => busyRise + 10 * k;   // the registers of busy cycle k; its inputs 5 ns later
        int[] Ones(string name, Func<int, long> time) => [.. Enumerable.Range(0, 18).Where(k => v.At($"{top}.{name}", time(k)) == 1)];
        Assert.Equal([4], Ones("m_axi_arvalid", Cycle));
        Assert.Equal(StreamImages.StreamAddress(c), (ulong)v.At($"{top}.m_axi_araddr[39:0]", Cycle(4)));
        Assert.Equal(1, (int)v.At($"{top}.m_axi_arready", Cycle(4) + 5));
        Assert.Equal([9], Ones("m_axi_rvalid", k => Cycle(k) + 5));
        Assert.Equal([6, 7, 8, 9], Ones("dbg_stall", Cycle));
        Assert.Equal([14, 15], Ones("dbg_acc_en", Cycle));
        Assert.Empty(Ones("axi_error", Cycle));
        Assert.Equal(1, (int)v.At($"{top}.stream.pending[27:0]", Cycle(4)));
    }
}
