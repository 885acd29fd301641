using System.Globalization;
using Bit1HW.HdlGen.Gen;

namespace Bit1HW.HdlGen.Tests;

/// <summary>
/// The behavioural cell models bit1hw writes for Verilator and Icarus (sim-models/) against yosys's
/// own simulation models of the same cells (ice40/cells_sim.v, renamed yosys_*): both driven with the
/// same seeded random inputs under iverilog, every output compared with !== after every edge. A
/// planted difference in our model is caught, so the comparison can fail.
/// </summary>
public class CellModelTests
{
    /// <summary>yosys's share directory sits beside its binary: &lt;prefix&gt;/bin/yosys, &lt;prefix&gt;/share/yosys.</summary>
    private static string YosysCellsSim()
    {
        string exe = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "yosys")).First(File.Exists);
        string bin = Path.GetDirectoryName(new FileInfo(exe).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? exe)!;
        string path = Path.Combine(bin, "..", "share", "yosys", "ice40", "cells_sim.v");
        Assert.True(File.Exists(path), $"yosys's ice40/cells_sim.v not found at {path}");
        return path;
    }

    /// <summary>The module's text from yosys's cells_sim.v, renamed yosys_&lt;cell&gt;.</summary>
    private static string YosysModel(string cell)
    {
        string all = File.ReadAllText(YosysCellsSim());
        int start = all.IndexOf($"module {cell} (", StringComparison.Ordinal);
        int end = all.IndexOf("endmodule", start, StringComparison.Ordinal) + "endmodule".Length;
        return "`timescale 1ps/1ps\n" + all[start..end].Replace($"module {cell} (", $"module yosys_{cell} (", StringComparison.Ordinal) + "\n";
    }

    private static string Run(string cell, string model, string bench, params string[] defines)
    {
        string dir = Directory.CreateTempSubdirectory("bit1hw-cell-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "ours.v"), "`timescale 1ps/1ps\n" + model);
            File.WriteAllText(Path.Combine(dir, "yosys.v"), YosysModel(cell));
            File.WriteAllText(Path.Combine(dir, "tb.v"), bench);
            var c = Tools.Run("iverilog", dir, ["-g2012", .. defines, "-o", "tb.vvp", "-s", "tb", "tb.v", "ours.v", "yosys.v"]);
            Assert.True(c.ExitCode == 0, $"{cell}: iverilog exit {c.ExitCode}\n{c.Stderr}{c.Stdout}");
            return Tools.Run("vvp", dir, "-n", "tb.vvp").Stdout;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // Eight addresses, so reads hit written words; random write enables, nibble masks and chip selects.
    private const string SpramBench = """
        `timescale 1ps/1ps
        module tb;
            reg clk = 1'b0;
            reg [13:0] addr; reg [15:0] din; reg [3:0] mask; reg we, cs;
            wire [15:0] ours, theirs;
            integer i, bad = 0, seed = 20261130;
            SB_SPRAM256KA o (.ADDRESS(addr), .DATAIN(din), .MASKWREN(mask), .WREN(we), .CHIPSELECT(cs), .CLOCK(clk),
                .STANDBY(1'b0), .SLEEP(1'b0), .POWEROFF(1'b1), .DATAOUT(ours));
            yosys_SB_SPRAM256KA y (.ADDRESS(addr), .DATAIN(din), .MASKWREN(mask), .WREN(we), .CHIPSELECT(cs), .CLOCK(clk),
                .STANDBY(1'b0), .SLEEP(1'b0), .POWEROFF(1'b1), .DATAOUT(theirs));
            initial begin
                for (i = 0; i < 4000; i = i + 1) begin
                    addr = $random(seed) & 14'h7; din = $random(seed); mask = $random(seed);
                    we = ($random(seed) & 3) == 0; cs = ($random(seed) & 7) != 0;
                    #5 clk = 1'b1; #5 clk = 1'b0;
                    if (ours !== theirs) begin bad = bad + 1; if (bad == 1) $display("first difference at edge %0d: %h vs %h", i, ours, theirs); end
                end
                $display("compared 4000 edges, %0d differences", bad);
                $finish;
            end
        endmodule
        """;

    /// <summary>SB_MAC16 as bit1hw uses it (registered outputs, A/B into the adders, upper carry from the lower
    /// adder), with the lower carry-in from CI or 0, and random loads, holds, clock enables and add/subtract.</summary>
    private static string Mac16Bench(int bottomCarrySelect) => string.Create(CultureInfo.InvariantCulture, $$"""
        `timescale 1ps/1ps
        module tb;
            reg clk = 1'b0;
            reg [15:0] a, b, c, d; reg ce, loadt, loadb, holdt, holdb, subt, subb, ci, aci;
            wire [31:0] o_ours, o_theirs; wire co_ours, co_theirs, aco_ours, aco_theirs, sx_ours, sx_theirs;
            integer i, bad = 0, seed = 20261130;
            `define MAC16_PARAMS #(.TOPOUTPUT_SELECT(2'd1), .TOPADDSUB_LOWERINPUT(2'd0), .TOPADDSUB_UPPERINPUT(1'b0), \
                .TOPADDSUB_CARRYSELECT(2'd2), .BOTOUTPUT_SELECT(2'd1), .BOTADDSUB_LOWERINPUT(2'd0), .BOTADDSUB_UPPERINPUT(1'b0), \
                .BOTADDSUB_CARRYSELECT(2'd{{bottomCarrySelect}}))
            `define MAC16_PINS (.CLK(clk), .CE(ce), .C(c), .A(a), .B(b), .D(d), .AHOLD(1'b0), .BHOLD(1'b0), .CHOLD(1'b0), \
                .DHOLD(1'b0), .IRSTTOP(1'b0), .IRSTBOT(1'b0), .ORSTTOP(1'b0), .ORSTBOT(1'b0), .OLOADTOP(loadt), .OLOADBOT(loadb), \
                .ADDSUBTOP(subt), .ADDSUBBOT(subb), .OHOLDTOP(holdt), .OHOLDBOT(holdb), .CI(ci), .ACCUMCI(aci), .SIGNEXTIN(1'b0)
            SB_MAC16 `MAC16_PARAMS o `MAC16_PINS, .O(o_ours), .CO(co_ours), .ACCUMCO(aco_ours), .SIGNEXTOUT(sx_ours));
            yosys_SB_MAC16 `MAC16_PARAMS y `MAC16_PINS, .O(o_theirs), .CO(co_theirs), .ACCUMCO(aco_theirs), .SIGNEXTOUT(sx_theirs));
            initial begin
                for (i = 0; i < 4000; i = i + 1) begin
                    a = $random(seed); b = $random(seed); c = $random(seed); d = $random(seed);
                    ce = ($random(seed) & 7) != 0; loadt = ($random(seed) & 15) == 0; loadb = ($random(seed) & 15) == 0;
                    holdt = ($random(seed) & 15) == 0; holdb = ($random(seed) & 15) == 0; subt = $random(seed); subb = $random(seed);
                    ci = $random(seed); aci = $random(seed);
                    if (i < 2) begin loadt = 1'b1; loadb = 1'b1; ce = 1'b1; holdt = 1'b0; holdb = 1'b0; end
                    #5 clk = 1'b1; #5 clk = 1'b0;
                    if ({o_ours, co_ours, aco_ours, sx_ours} !== {o_theirs, co_theirs, aco_theirs, sx_theirs}) begin
                        bad = bad + 1;
                        if (bad == 1) $display("first difference at edge %0d: %h vs %h", i, o_ours, o_theirs);
                    end
                end
                $display("compared 4000 edges, %0d differences", bad);
                $finish;
            end
        endmodule
        """);

    [ToolFact("iverilog", "vvp", "yosys")]
    public void Our_sb_spram256ka_model_matches_yosys_on_random_reads_and_masked_writes()
    {
        string output = Run(CellModels.Spram, CellModels.Text(CellModels.Spram), SpramBench);
        Assert.Contains("compared 4000 edges, 0 differences", output);
    }

    [ToolTheory("iverilog", "vvp", "yosys")]
    [InlineData(0)]
    [InlineData(3)]
    public void Our_sb_mac16_model_matches_yosys_as_a_32_bit_accumulator(int bottomCarrySelect)
    {
        string output = Run(CellModels.Mac16, CellModels.Text(CellModels.Mac16), Mac16Bench(bottomCarrySelect));
        Assert.Contains("compared 4000 edges, 0 differences", output);
    }

    [ToolFact("iverilog", "vvp", "yosys")]
    public void A_model_whose_upper_adder_ignores_the_lower_carry_is_caught()
    {
        string broken = CellModels.Text(CellModels.Mac16).Replace("TOPADDSUB_CARRYSELECT == 2'd2 ? lower_sum[16]", "TOPADDSUB_CARRYSELECT == 2'd2 ? 1'b0", StringComparison.Ordinal);
        Assert.NotEqual(CellModels.Text(CellModels.Mac16), broken);
        string output = Run(CellModels.Mac16, broken, Mac16Bench(3));
        Assert.Contains("compared 4000 edges", output);
        Assert.DoesNotContain(" 0 differences", output);
    }
}
