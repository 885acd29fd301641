using Bit1HW.HdlGen.Board;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.HdlGen.Tests;

public class BoardBuildTests
{
    [Fact]
    public void Build_sh_repeats_yosys_every_nextpnr_seed_with_asc_and_packs_the_median_seed()
    {
        var opt = new SynthOptions(SynthTarget.Ice40Up5k) { Seeds = 3, TargetMhz = 12 };
        string[] lines = BoardBuild.Script("bit1hw_uart_board_x_d104", opt, 2).Split('\n');
        Assert.Contains("yosys -q -l yosys.log -s synth.ys", lines);
        for (int seed = 1; seed <= 3; seed++)
            Assert.Contains($"nextpnr-ice40 --up5k --package sg48 --json design.json --pcf icebreaker.pcf --freq 12 --seed {seed} " +
                $"--report pnr_seed{seed}.json --log nextpnr_seed{seed}.log --quiet --asc pnr_seed{seed}.asc", lines);
        Assert.Equal("icepack pnr_seed2.asc ../bit1hw_uart_board_x_d104.bin", lines[^2]);
    }

    [Fact]
    public void The_synth_flow_asks_nextpnr_for_an_asc_only_when_a_bitstream_is_wanted()
    {
        Assert.DoesNotContain("--asc", NextpnrRun.Args("p.pcf", 100, 1, null));
        Assert.Equal(["--asc", "pnr_seed4.asc"], NextpnrRun.Args("p.pcf", 100, 4, NextpnrRun.AscFile(4))[^2..]);
    }

    [Fact]
    public void The_icebreaker_pcf_puts_the_uart_on_the_ftdi_channel_b_pins()
    {
        string pcf = File.ReadAllText(Path.Combine(Repo.Root, "constraints", "icebreaker.pcf"));
        Assert.Contains("set_io -nowarn uart_rx 6\n", pcf, StringComparison.Ordinal);
        Assert.Contains("set_io -nowarn uart_tx 9\n", pcf, StringComparison.Ordinal);
        Assert.Contains("set_io -nowarn clk 35\n", pcf, StringComparison.Ordinal);
    }
}
