using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Xunit.Abstractions;

namespace Bit1HW.CoSim.Tests;

public class WaveformTests(ITestOutputHelper output)
{
    private static readonly string[] Ports =
        ["clk", "rst", "start", "host_we", "host_sel", "host_addr", "host_wdata", "host_raddr", "host_rrow", "busy", "done", "host_rdata", "dbg_pc", "dbg_acc_en"];

    private static string Port(HardwareConfig c, string name) => name switch
    {
        "host_sel" => "host_sel[1:0]",
        "host_addr" => $"host_addr[{c.HostAddrBits - 1}:0]",
        "host_wdata" => $"host_wdata[{c.HostDataBits - 1}:0]",
        "host_raddr" => $"host_raddr[{c.OutAddrBits - 1}:0]",
        "host_rrow" => $"host_rrow[{c.RowSelectBits - 1}:0]",
        "host_rdata" => $"host_rdata[{c.AccBits - 1}:0]",
        "dbg_pc" => $"dbg_pc[{c.InstrAddrBits - 1}:0]",
        _ => name,
    };

    /// <summary>Both waveforms of one co-simulated layer, with their save files, in a fresh directory.</summary>
    private (VcdReader Sim, VcdReader Rtl, string Dir) Waves(HardwareConfig cfg, int seed)
    {
        var design = DesignUnderTest.Build(cfg, new TestWriter(output));
        Layer layer = CaseGenerator.Layer(cfg, new SplitMix64((ulong)seed), CaseKind.Random);
        ProgramImage image = LayerCompiler.Compile(layer, cfg).Image;
        string dir = Path.Combine(Path.GetTempPath(), $"bit1hw-waves-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var (sim, rtl) = TracingRun.Write(design, layer, image, dir, new TestWriter(output));
        return (VcdReader.Parse(File.ReadAllText(sim)), VcdReader.Parse(File.ReadAllText(rtl)), dir);
    }

    [ToolFact("verilator")]
    public void Sim_and_rtl_waveforms_share_the_time_axis_and_every_port_changes_at_the_same_times()
    {
        HardwareConfig cfg = HardwareConfig.Default;
        int seed = TestSeed.Seed(5, output);
        var (sim, rtl, dir) = Waves(cfg, seed);
        try
        {
            Assert.Equal("1ns", sim.Timescale);
            Assert.Equal("1ns", rtl.Timescale);
            string top = VerilatorHarness.TopModuleName(cfg);
            foreach (string port in Ports)
            {
                var s = FromResetEdge(sim, $"{top}.{Port(cfg, port)}");
                var r = FromResetEdge(rtl, $"TOP.{Port(cfg, port)}");
                Assert.True(s.Count > 1 || port is "rst" or "start", $"{port} never changes in sim.vcd");
                Assert.True(s.SequenceEqual(r), $"seed {seed}: {port} differs: sim {Show(s)} rtl {Show(r)}");
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>
    /// Changes from the reset edge at 5 ns on: before it the registers are undefined by contract
    /// (Verilator shows its initial values at 0 ns, the simulator nothing).
    /// </summary>
    private static List<(long Time, System.Numerics.BigInteger Value)> FromResetEdge(VcdReader vcd, string name) =>
        [(5, vcd.At(name, 5)), .. vcd.Changes(name).Where(c => c.Time > 5)];

    private static string Show(List<(long Time, System.Numerics.BigInteger Value)> changes) =>
        string.Join(" ", changes.Take(12).Select(c => $"#{c.Time}={c.Value}"));

    [ToolFact("verilator")]
    public void Every_signal_in_both_save_files_is_declared_in_its_waveform()
    {
        var (sim, rtl, dir) = Waves(HardwareConfig.Default, 6);
        try
        {
            foreach (var (name, vcd) in new[] { ("sim", sim), ("rtl", rtl) })
            {
                string[] lines = File.ReadAllLines(Path.Combine(dir, name + ".gtkw"));
                Assert.Contains($"[dumpfile] \"{name}.vcd\"", lines);
                var signals = lines.Where(l => l.Length > 0 && !"[@-*".Contains(l[0])).Select(l => l.StartsWith('+') ? l[(l.IndexOf('}') + 2)..] : l).ToList();
                Assert.True(signals.Count >= Ports.Length + 4, $"{name}.gtkw lists only {signals.Count} signals");
                foreach (string s in signals) Assert.True(vcd.Variables.ContainsKey(s), $"{name}.gtkw names {s}, which {name}.vcd does not declare");
                foreach (string group in new[] { "ports", "controller", "memories", "accumulators" })
                    Assert.Equal(2, lines.Count(l => l == "-" + group));
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
