using Bit1HW.Core;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.HdlGen.Tests;

/// <summary>
/// Reading nextpnr 0.4's --report JSON and yosys's log, without running the tools. The report
/// fixture is cut down from a real run of the 16-lane bench design (three of its 33 segments).
/// </summary>
public class SynthReportParseTests
{
    private const string Report = """
        {
          "critical_paths": [
            { "from": "<async>", "to": "posedge clk$glb_clk",
              "path": [ { "delay": 0, "from": { "cell": "btn_LC", "port": "D_IN_0" }, "to": { "cell": "btn$sb_io", "port": "D_IN_0" }, "type": "source" } ] },
            { "from": "posedge clk$glb_clk", "to": "posedge clk$glb_clk",
              "path": [
                { "delay": 1.178, "from": { "cell": "engine.amem.mem_RDATA_LUT_LC", "port": "RCLK" }, "to": { "cell": "engine.amem.mem.0.6_RAM", "port": "RDATA_0" }, "type": "clk-to-q" },
                { "delay": 3.6, "from": { "cell": "engine.amem.mem.0.6_RAM", "port": "RDATA_0" }, "to": { "cell": "engine.array.pe_0.sum_LC", "port": "I1" }, "net": "rdata[0]", "type": "routing" },
                { "delay": 0.824, "from": { "cell": "engine.array.pe_0.sum_LC", "port": "I1" }, "to": { "cell": "engine.array.pe_0.sum_LC", "port": "I1" }, "type": "setup" }
              ] }
          ],
          "fmax": {
            "clk$glb_clk": { "achieved": 35.69771194458008, "constraint": 100 },
            "slow_clk": { "achieved": 80.5, "constraint": 100 }
          },
          "utilization": {
            "ICESTORM_DSP": { "available": 8, "used": 0 },
            "ICESTORM_LC": { "available": 5280, "used": 1056 },
            "ICESTORM_RAM": { "available": 30, "used": 14 },
            "ICESTORM_SPRAM": { "available": 4, "used": 0 }
          }
        }
        """;

    [Fact]
    public void Fmax_is_the_slowest_clock_and_its_path_runs_from_the_launching_pin_to_the_capturing_pin()
    {
        SeedResult r = NextpnrRun.ParseReport(2, Report);
        Assert.Equal(35.70, r.FmaxMhz);
        Assert.Equal(new CriticalPath("engine.amem.mem.0.6_RAM.RDATA_0", "engine.array.pe_0.sum_LC.I1", 5.6, 2.0, 3.6), r.Path);
    }

    [Fact]
    public void The_median_seed_is_the_middle_one_and_for_an_even_count_the_lower_middle()
    {
        var three = new PlaceRoute(100, [new(1, 35.7, null), new(2, 35.43, null), new(3, 35.35, null)], 1056, null);
        Assert.Equal(2, three.Median!.Seed);
        var four = new PlaceRoute(100, [new(1, 30, null), new(2, 40, null), new(3, 20, null), new(4, 50, null)], 1056, null);
        Assert.Equal(1, four.Median!.Seed);
    }

    [Fact]
    public void Placed_cells_that_match_yosys_pass_the_utilization_check()
    {
        var y = SynthCountTests.Counts(SynthTarget.Ice40Up5k, ("SB_LUT4", 964), ("SB_CARRY", 237), ("SB_DFF", 203), ("SB_RAM40_4K", 14));
        Assert.Equal(1056, NextpnrRun.CheckUtilization(Report, y));
    }

    [Fact]
    public void A_block_ram_count_that_differs_from_yosys_fails_the_utilization_check()
    {
        var y = SynthCountTests.Counts(SynthTarget.Ice40Up5k, ("SB_LUT4", 964), ("SB_CARRY", 237), ("SB_DFF", 203), ("SB_RAM40_4K", 15));
        var e = Assert.Throws<ExternalToolException>(() => NextpnrRun.CheckUtilization(Report, y));
        Assert.Contains("14 ICESTORM_RAM but yosys's netlist has 15 SB_RAM40_4K", e.Message);
    }

    [Fact]
    public void Fewer_logic_cells_than_yosys_luts_fail_the_utilization_check()
    {
        var y = SynthCountTests.Counts(SynthTarget.Ice40Up5k, ("SB_LUT4", 1928), ("SB_DFF", 203), ("SB_RAM40_4K", 14));
        var e = Assert.Throws<ExternalToolException>(() => NextpnrRun.CheckUtilization(Report, y));
        Assert.Contains("placed 1056 ICESTORM_LC, outside [1928,", e.Message);
    }

    [Fact]
    public void A_failed_check_assert_is_one_line_naming_the_module_the_count_and_the_first_problem()
    {
        string log = string.Join("\n",
            "2.50. Executing CHECK pass (checking for obvious problems).",
            "Warning: Wire top.\\w is used but has no driver.",
            "bit1hw-check: bit1hw_board_l3",
            "",
            "3.1. Executing CHECK pass (checking for obvious problems).",
            "Checking module bit1hw_board_l3...",
            "Warning: multiple conflicting drivers for bit1hw_board_l3.\\w:",
            "    port O[0] of cell $iopadmap$a (IBUF)",
            "Warning: Wire bit1hw_board_l3.\\x is used but has no driver.",
            "Found and reported 2 problems.",
            "ERROR: Found 2 problems in 'check -assert'.");
        Assert.Equal("check -assert found 2 problems in bit1hw_board_l3 after synth_xilinx -flatten; first: multiple conflicting drivers for bit1hw_board_l3.\\w",
            YosysRun.Failure(log, "synth_xilinx -flatten"));
    }

    [Fact]
    public void Any_other_yosys_error_is_its_error_line()
    {
        Assert.Equal("ERROR: Module `nope' not found!", YosysRun.Failure("Warning: x\nERROR: Module `nope' not found!\n", "synth_ice40 -dsp"));
        Assert.Null(YosysRun.Failure("all fine\n", "synth_ice40 -dsp"));
    }

    [Theory]
    [InlineData(0, 100, "--seeds")]
    [InlineData(26, 100, "--seeds")]
    [InlineData(3, 0, "--target-mhz")]
    [InlineData(3, double.NaN, "--target-mhz")]
    public void Out_of_range_flow_options_are_user_errors_naming_the_flag(int seeds, double mhz, string flag)
    {
        var e = Assert.Throws<UserInputException>(() => new SynthOptions(SynthTarget.Ice40Up5k) { Seeds = seeds, TargetMhz = mhz }.Validate());
        Assert.Equal(flag, e.Subject);
    }
}
