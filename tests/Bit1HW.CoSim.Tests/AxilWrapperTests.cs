using System.Globalization;
using System.Text;
using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Tools;
using Bit1HW.HdlGen;
using Bit1HW.HdlGen.Gen;
using Xunit.Abstractions;

namespace Bit1HW.CoSim.Tests;

/// <summary>
/// The AXI4-Lite wrapper driven the way a processor would (docs/hardware.md, "AXI4-Lite control
/// wrapper"), under iverilog: the testbench writes the program and the activations through
/// HOST_ADDR/HOST_SEL/WDATA/HOST_COMMIT, sets WEIGHT_BASE, starts through CTRL, polls STATUS, reads
/// the counters, ID and SHAPE, then every output through OUT_ADDR/OUT_ROW/OUT_DATA. Its memory slave
/// (in the testbench, written from the AXI rules, one beat per cycle a cycle after the handshake)
/// serves the compiler's external memory image. Outputs must equal the reference and the counters add up.
/// </summary>
public class AxilWrapperTests(ITestOutputHelper output)
{
    [ToolFact("iverilog", "vvp")]
    public void A_layer_run_through_the_register_map_gives_the_reference_outputs_and_consistent_counters()
    {
        HardwareConfig cfg = StreamCampaign.Configs()[0];
        var (values, reference, image) = RunThroughRegisters(cfg, GeneratorFaults.None);
        Assert.Equal(0xB1A1_0001L, values["id"]);
        Assert.Equal(((long)cfg.Rows << 16) | (uint)cfg.Lanes, values["shape"]);
        Assert.Equal(2, values["status"]); // done, not busy, no AXI error
        Assert.True(values["stalls"] > 0, "the testbench memory has a latency, so the first MAC must stall");
        Assert.Equal(image.PredictedCycles + values["stalls"], values["cycles"]);
        for (int i = 0; i < reference.Length; i++) Assert.True(reference[i] == values[$"out{i}"], $"output {i}: {values[$"out{i}"]}, reference {reference[i]}");
    }

    [ToolFact("iverilog", "vvp")]
    public void The_same_run_shows_a_planted_weight_decode_fault_as_wrong_outputs()
    {
        var (values, reference, _) = RunThroughRegisters(StreamCampaign.Configs()[0], GeneratorFaults.FlipWeightDecode);
        Assert.Contains(Enumerable.Range(0, reference.Length), i => values[$"out{i}"] != reference[i]);
    }

    private (Dictionary<string, long> Values, long[] Reference, ProgramImage Image) RunThroughRegisters(HardwareConfig cfg, GeneratorFaults faults)
    {
        var (layer, image) = Campaign.MakeCase(cfg, 20261130, CaseKind.Random);
        long[] reference = Reference.Accumulators(layer, cfg);
        Assert.Equal(0ul, image.External!.BaseAddress); // the testbench's memory starts at byte 0
        string dir = Directory.CreateTempSubdirectory("bit1hw-axil-").FullName;
        try
        {
            var files = RtlGenerator.Generate(cfg, new GeneratorOptions(faults)).Where(f => f.RelativePath.EndsWith(".v", StringComparison.Ordinal)).ToList();
            foreach (var f in files) File.WriteAllText(Path.Combine(dir, f.RelativePath), f.Text);
            File.WriteAllText(Path.Combine(dir, "instr.hex"), Hex(image.Instructions.Select(w => (ulong)w), 8));
            var act = CoSimulation.Words(image.Activations);
            int limbs = (Math.Max(32, cfg.ActWordBits) + 31) / 32;
            File.WriteAllText(Path.Combine(dir, "act.hex"), Hex(act.SelectMany(w => w.Concat(new uint[limbs]).Take(limbs)).Select(x => (ulong)x), 8));
            File.WriteAllText(Path.Combine(dir, "ext.hex"), Hex(image.External!.Bytes.Select(b => (ulong)b), 2));
            var outs = Enumerable.Range(0, reference.Length).Select(i => image.OutputLocation(i / layer.Shape.OutFeatures, i % layer.Shape.OutFeatures)).ToList();
            File.WriteAllText(Path.Combine(dir, "outs.hex"), Hex(outs.Select(o => ((ulong)o.Word << 16) | (uint)o.Row), 8));
            File.WriteAllText(Path.Combine(dir, "tb.v"), Bench(cfg, image.Instructions.Length, act.Count, limbs, image.External.Bytes.Length, outs.Count));
            var c = ToolRunner.Run("iverilog", ["-g2012", "-o", "tb.vvp", "-s", "tb", "tb.v", .. files.Select(f => f.RelativePath)], dir, TimeSpan.FromMinutes(3));
            Assert.True(c.ExitCode == 0, c.Stderr + c.Stdout);
            var r = ToolRunner.Run("vvp", ["-n", "tb.vvp"], dir, TimeSpan.FromMinutes(5));
            output.WriteLine(r.Stdout);
            var values = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => l.Split(' ')).Where(p => p.Length == 2).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
            return (values, reference, image);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Hex(IEnumerable<ulong> values, int digits)
    {
        var s = new StringBuilder();
        foreach (ulong v in values) s.Append(v.ToString($"x{digits}", CultureInfo.InvariantCulture)).Append('\n');
        return s.ToString();
    }

    private static string Bench(HardwareConfig cfg, int instructions, int actWords, int limbs, int extBytes, int outs)
    {
        StreamConfig st = cfg.Stream!;
        int a = st.AxiAddrBits, d = st.AxiDataBits, bytes = d / 8;
        return string.Create(CultureInfo.InvariantCulture, $$"""
            `timescale 1ns/1ps
            module tb;
              reg clk = 0; always #5 clk = ~clk;
              reg rst = 1;
              reg [11:0] awaddr = 0, araddr = 0; reg [31:0] wdata = 0; reg awvalid = 0, wvalid = 0, arvalid = 0;
              wire awready, wready, bvalid, arready, rvalid; wire [1:0] bresp, rresp; wire [31:0] rdata;
              wire [{{a - 1}}:0] m_araddr; wire [7:0] m_arlen; wire [2:0] m_arsize; wire [1:0] m_arburst; wire m_arvalid, m_rready;
              reg [{{d - 1}}:0] m_rdata = 0; reg m_rvalid = 0, m_rlast = 0;
              {{RtlGenerator.AxilModule(cfg)}} dut (.clk(clk), .rst(rst),
                .s_axil_awaddr(awaddr), .s_axil_awvalid(awvalid), .s_axil_awready(awready), .s_axil_wdata(wdata), .s_axil_wstrb(4'hf),
                .s_axil_wvalid(wvalid), .s_axil_wready(wready), .s_axil_bresp(bresp), .s_axil_bvalid(bvalid), .s_axil_bready(1'b1),
                .s_axil_araddr(araddr), .s_axil_arvalid(arvalid), .s_axil_arready(arready), .s_axil_rdata(rdata), .s_axil_rresp(rresp),
                .s_axil_rvalid(rvalid), .s_axil_rready(1'b1),
                .m_axi_araddr(m_araddr), .m_axi_arlen(m_arlen), .m_axi_arsize(m_arsize), .m_axi_arburst(m_arburst), .m_axi_arvalid(m_arvalid),
                .m_axi_arready(1'b1), .m_axi_rdata(m_rdata), .m_axi_rresp(2'd0), .m_axi_rlast(m_rlast), .m_axi_rvalid(m_rvalid), .m_axi_rready(m_rready));
              reg [31:0] instr [0:{{instructions - 1}}]; reg [31:0] act [0:{{actWords * limbs - 1}}];
              reg [7:0] ext [0:{{extBytes - 1}}]; reg [31:0] outs [0:{{outs - 1}}];
              // The memory slave: every burst address queued at its handshake, its beats one per cycle from 8 cycles later.
              reg [{{a - 1}}:0] q [0:63]; integer qtime [0:63]; integer qh = 0, qt = 0, beat = 0, k, cyc = 0;
              always @(posedge clk) begin
                cyc = cyc + 1;
                if (m_arvalid) begin q[qt % 64] = m_araddr; qtime[qt % 64] = cyc; qt = qt + 1; end
                if (m_rvalid && m_rready) begin beat = beat + 1; if (beat == m_arlen + 1) begin beat = 0; qh = qh + 1; end end
                if (qh != qt && cyc >= qtime[qh % 64] + 8) begin
                  for (k = 0; k < {{bytes}}; k = k + 1) m_rdata[8 * k +: 8] <= ext[q[qh % 64] + beat * {{bytes}} + k];
                  m_rvalid <= 1; m_rlast <= (beat == m_arlen);
                end else begin m_rvalid <= 0; m_rlast <= 0; end
              end
              task wr(input [11:0] addr, input [31:0] data);
                begin @(negedge clk); awaddr = addr; wdata = data; awvalid = 1; wvalid = 1;
                  @(negedge clk); awvalid = 0; wvalid = 0; @(negedge clk); end
              endtask
              task rd(input [11:0] addr, output [31:0] data);
                begin @(negedge clk); araddr = addr; arvalid = 1; @(negedge clk); arvalid = 0; data = rdata; @(negedge clk); end
              endtask
              integer i, j; reg [31:0] v, lo;
              initial begin
                $readmemh("instr.hex", instr); $readmemh("act.hex", act); $readmemh("ext.hex", ext); $readmemh("outs.hex", outs);
                repeat (3) @(negedge clk); rst = 0;
                wr(12'h044, 0);
                for (i = 0; i < {{instructions}}; i = i + 1) begin wr(12'h040, i); wr(12'h800, instr[i]); wr(12'h048, 1); end
                wr(12'h044, 2);
                for (i = 0; i < {{actWords}}; i = i + 1) begin
                  wr(12'h040, i);
                  for (j = 0; j < {{limbs}}; j = j + 1) wr(12'h800 + 4 * j, act[i * {{limbs}} + j]);
                  wr(12'h048, 1);
                end
                wr(12'h008, 0); wr(12'h00c, 0);
                wr(12'h000, 1);
                v = 0; i = 0;
                while (!v[1] && i < 100000) begin rd(12'h004, v); i = i + 1; end
                $display("status %0d", v);
                rd(12'h010, v); $display("cycles %0d", v);
                rd(12'h018, v); $display("stalls %0d", v);
                rd(12'h020, v); $display("id %0d", v);
                rd(12'h024, v); $display("shape %0d", v);
                for (i = 0; i < {{outs}}; i = i + 1) begin
                  wr(12'h050, outs[i] >> 16); wr(12'h054, outs[i] & 32'hffff); rd(12'h058, v);
                  $display("out%0d %0d", i, $signed(v));
                end
                $finish;
              end
            endmodule

            """);
    }
}
