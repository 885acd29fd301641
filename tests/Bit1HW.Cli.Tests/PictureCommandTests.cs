namespace Bit1HW.Cli.Tests;

/// <summary>The files a person looks at: charts, the HTML report, the schedule picture, waveforms with their save files.</summary>
public class PictureCommandTests
{
    private static bool IsPng(string path) => File.ReadAllBytes(path).AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });

    [Fact]
    public void Energy_writes_a_png_chart_and_an_html_report_with_tables()
    {
        using var h = new CliHarness();
        var r = h.Run("energy", "--model", "bitnet-b1.58-2b-4t", "--node", "7nm", "--chart", h.PathOf("e.png"), "--html", h.PathOf("e.html"));
        Assert.True(r.Exit == 0, r.Err);
        Assert.True(IsPng(h.PathOf("e.png")));
        string html = File.ReadAllText(h.PathOf("e.html"));
        Assert.Contains("<table>", html);
        Assert.Contains("<svg", html);
        Assert.Equal(0, h.Run("energy", "--model", "bitnet-b1.58-2b-4t", "--chart", h.PathOf("e.svg")).Exit);
        Assert.StartsWith("<?xml", File.ReadAllText(h.PathOf("e.svg")));
    }

    [Theory]
    [InlineData("energy", "--chart")]
    [InlineData("compile", "--schedule")]
    public void A_picture_path_that_is_neither_png_nor_svg_exits_2_and_writes_nothing(string command, string flag)
    {
        using var h = new CliHarness();
        string[] args = command == "energy" ? ["energy", flag, h.PathOf("p.jpg")] : ["compile", "--in", h.PathOf("none.safetensors"), flag, h.PathOf("p.jpg")];
        var r = h.Run(args);
        Assert.Equal(2, r.Exit);
        Assert.Contains(flag, r.Err);
        Assert.Contains(".png or .svg", r.Err);
        Assert.Empty(Directory.GetFiles(h.Dir));
    }

    [Fact]
    public void Compile_draws_the_schedule_and_sim_writes_a_gtkwave_save_file_beside_its_vcd()
    {
        using var h = new CliHarness();
        string layer = h.PathOf("layer.safetensors");
        Assert.Equal(0, h.Run("make-layer", "--out", layer, "--out-features", "9", "--in-features", "40", "--tokens", "2", "--seed", "3").Exit);
        var c = h.Run("compile", "--in", layer, "--schedule", h.PathOf("schedule.png"));
        Assert.True(c.Exit == 0, c.Err);
        Assert.True(IsPng(h.PathOf("schedule.png")));
        var s = h.Run("sim", "--in", layer, "--out", h.PathOf("out.safetensors"), "--vcd", h.PathOf("waves.vcd"), "--quiet");
        Assert.True(s.Exit == 0, s.Err);
        Assert.Contains("[dumpfile] \"waves.vcd\"", File.ReadAllText(h.PathOf("waves.gtkw")));
        Assert.Contains("$timescale 1ns $end", File.ReadAllText(h.PathOf("waves.vcd")));
    }
}
