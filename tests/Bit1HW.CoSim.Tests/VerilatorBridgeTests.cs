using Bit1HW.Sim;
using System.Globalization;
using Bit1HW.Core.Hardware;
using Xunit.Abstractions;

namespace Bit1HW.CoSim.Tests;

public class VerilatorBridgeTests(ITestOutputHelper output)
{
    // A stand-in top with the contract's port list (widths from the config) whose behaviour is
    // trivial to predict: host_rdata echoes a slice of the last host_wdata chosen by host_rrow,
    // busy counts 3 cycles after start. It tests the bridge (limb order, sign extension, edges,
    // caching) independently of the real generator.
    private static string StubTop(HardwareConfig c) => string.Create(CultureInfo.InvariantCulture, $$"""
        module {{VerilatorHarness.TopModuleName(c)}}(
          input wire clk, input wire rst, input wire start, output reg busy, output reg done,
          input wire host_we, input wire [1:0] host_sel, input wire [{{c.HostAddrBits - 1}}:0] host_addr,
          input wire [{{c.HostDataBits - 1}}:0] host_wdata, input wire [{{c.OutAddrBits - 1}}:0] host_raddr,
          input wire [{{c.RowSelectBits - 1}}:0] host_rrow, output reg signed [{{c.AccBits - 1}}:0] host_rdata,
          output reg [{{c.InstrAddrBits - 1}}:0] dbg_pc, output reg dbg_acc_en);
          reg [{{c.HostDataBits - 1}}:0] last;
          reg [1:0] count;
          always @(posedge clk) begin
            if (rst) begin busy <= 1'b0; done <= 1'b0; count <= 2'd0; dbg_pc <= {{c.InstrAddrBits}}'d0; dbg_acc_en <= 1'b0; host_rdata <= {{c.AccBits}}'sd0; last <= {{c.HostDataBits}}'d0; end
            else begin
              if (host_we) last <= host_wdata;
              host_rdata <= last[host_rrow * 32 +: {{c.AccBits}}];
              dbg_acc_en <= host_we;
              if (start && !busy) begin busy <= 1'b1; done <= 1'b0; count <= 2'd0; end
              else if (busy) begin count <= count + 2'd1; if (count == 2'd2) begin busy <= 1'b0; done <= 1'b1; end end
              dbg_pc <= {{{c.InstrAddrBits - 2}}'d0, count};
            end
          end
        endmodule

        """);

    [ToolFact("verilator")]
    public void Wide_write_data_crosses_the_bridge_limb_by_limb_and_read_data_is_sign_extended()
    {
        // 4 rows × 32 lanes × 2 bits = 256-bit host_wdata (8 limbs); AccBits = 20 with maxK 2048.
        var cfg = new HardwareConfig { Lanes = 32, Rows = 4, MaxK = 2048, ActDepth = 64 }.Validate();
        Assert.Equal(8, (cfg.HostDataBits + 31) / 32);
        string lib = VerilatorBuilder.Build(cfg, [("top.v", StubTop(cfg))], trace: false, new TestWriter(output));
        using var m = new VerilatorModel(lib, cfg);
        m.Step(new TopInputs { Rst = true });
        var wdata = new uint[8];
        for (int i = 0; i < wdata.Length; i++) wdata[i] = 0x000F_0000u | (uint)(i * 0x1111);
        wdata[2] = 0x000F_FFFFu; // low 20 bits all ones → -1 after sign extension
        var o = m.Step(new TopInputs { HostWe = true, HostWData = wdata });
        Assert.True(o.DbgAccEn);
        for (uint row = 0; row < 4; row++)
        {
            m.Step(new TopInputs { HostRRow = row });            // host_rdata <= last[row*32 +: 20]
            var r = m.Step(new TopInputs { HostRRow = row });
            int expected = VerilatorModel.SignExtend(wdata[row] & 0xFFFFF, 20);
            Assert.Equal(expected, r.HostRData);
        }
        Assert.Equal(-1, m.Step(new TopInputs { HostRRow = 2 }).HostRData);
    }

    [ToolFact("verilator")]
    public void Busy_rises_the_edge_after_start_and_native_run_counts_the_remaining_edges()
    {
        var cfg = HardwareConfig.Default;
        string lib = VerilatorBuilder.Build(cfg, [("top.v", StubTop(cfg))], trace: false, new TestWriter(output));
        using var m = new VerilatorModel(lib, cfg);
        m.Step(new TopInputs { Rst = true });
        Assert.False(m.Step(Ports.Idle).Busy);
        Assert.True(m.Step(new TopInputs { Start = true }).Busy);
        // count 0 → 1 → 2 → idle: two more busy edges, then the edge where busy falls.
        Assert.Equal(3UL, m.RunUntilIdle(100));
        Assert.True(m.Step(Ports.Idle).Done);
    }

    [ToolFact("verilator")]
    public void A_second_build_of_the_same_sources_is_a_cache_hit()
    {
        var cfg = HardwareConfig.Default;
        var src = new List<(string, string)> { ("top.v", StubTop(cfg)) };
        string first = VerilatorBuilder.Build(cfg, src, trace: false);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var log = new StringWriter();
        string second = VerilatorBuilder.Build(cfg, src, trace: false, log);
        Assert.Equal(first, second);
        Assert.Equal("", log.ToString()); // no "building" line: nothing was compiled
        output.WriteLine($"cache hit in {sw.Elapsed.TotalMilliseconds:F0} ms");
    }

    [ToolFact("verilator")]
    public void Two_threads_building_the_same_design_into_an_empty_cache_both_get_a_working_model()
    {
        // xUnit runs test classes in parallel; two of them once built one design in the same work
        // directory and deleted each other's dependency files (g++: "opening dependency file ... No such file").
        var cfg = new HardwareConfig { Lanes = 3, Rows = 2, MaxK = 64 }.Validate();
        string cache = Path.Combine(Path.GetTempPath(), $"bit1hw-race-{Guid.NewGuid():N}");
        try
        {
            var src = new List<(string, string)> { ("top.v", StubTop(cfg)) };
            string[] libs = new string[2];
            Parallel.For(0, 2, i => libs[i] = VerilatorBuilder.Build(cfg, src, trace: false, cacheRoot: cache));
            Assert.Equal(libs[0], libs[1]);
            using var m = new VerilatorModel(libs[0], cfg);
            m.Step(new TopInputs { Rst = true });
            Assert.True(m.Step(new TopInputs { Start = true }).Busy);
            Assert.Single(Directory.GetDirectories(cache));   // one entry, no work directory left behind
        }
        finally
        {
            if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public void Cache_key_changes_with_the_rtl_and_the_trace_flag()
    {
        var a = new List<(string, string)> { ("top.v", "module a; endmodule\n") };
        var b = new List<(string, string)> { ("top.v", "module b; endmodule\n") };
        string ka = VerilatorBuilder.CacheKey(a, "h", false, "v1");
        Assert.NotEqual(ka, VerilatorBuilder.CacheKey(b, "h", false, "v1"));
        Assert.NotEqual(ka, VerilatorBuilder.CacheKey(a, "h", true, "v1"));
        Assert.NotEqual(ka, VerilatorBuilder.CacheKey(a, "h", false, "v2"));
        Assert.Equal(ka, VerilatorBuilder.CacheKey(a, "h", false, "v1"));
    }
}

internal sealed class TestWriter(ITestOutputHelper output) : TextWriter
{
    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
    public override void WriteLine(string? value) => output.WriteLine(value ?? "");
}
