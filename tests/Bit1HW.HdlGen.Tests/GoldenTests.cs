using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;

namespace Bit1HW.HdlGen.Tests;

/// <summary>
/// Byte-for-byte comparisons with reviewed outputs: tiny PE modules under tests/.../Golden
/// (regenerate with BIT1HW_UPDATE_GOLDEN=1) and the checked-in rtl-out/default and rtl-out/large
/// (regenerate with BIT1HW_UPDATE_RTL=1). Never edit these files by hand.
/// </summary>
public class GoldenTests
{
    [Theory]
    [InlineData(3, 4, 1, "ternary")]
    [InlineData(3, 4, 1, "mac")]
    public void Tiny_pe_matches_its_golden_file_byte_for_byte(int lanes, int actBits, int pipeEvery, string pe)
    {
        var cfg = Configs.Small(lanes, 1, actBits, pipeEvery, pe == "mac" ? PeKind.Mac : PeKind.Ternary);
        string name = RtlGenerator.PeModule(cfg) + ".v";
        string text = RtlGenerator.Generate(cfg).Single(f => f.RelativePath == name).Text;
        string path = Path.Combine(Repo.Root, "tests", "Bit1HW.HdlGen.Tests", "Golden", name);
        if (Repo.Update("BIT1HW_UPDATE_GOLDEN")) AtomicFile.WriteAllText(path, text);
        Assert.True(File.Exists(path), $"{path} is missing; run with BIT1HW_UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllText(path), text);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("large")]
    public void Checked_in_rtl_out_is_what_the_generator_writes_today(string name)
    {
        var cfg = HardwareConfig.Load(Path.Combine(Repo.Root, "docs", "examples", name + ".json"));
        var files = RtlGenerator.Generate(cfg);
        string dir = Path.Combine(Repo.Root, "rtl-out", name);
        if (Repo.Update("BIT1HW_UPDATE_RTL"))
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            AtomicFile.WriteDirectory(dir, files.Select(f => (f.RelativePath, f.Text)).ToList(), marker: "manifest.json");
        }
        Assert.True(Directory.Exists(dir), $"{dir} is missing; run with BIT1HW_UPDATE_RTL=1");
        var onDisk = Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(files.Select(f => f.RelativePath).ToArray(), onDisk);
        foreach (var f in files)
            Assert.True(File.ReadAllText(Path.Combine(dir, f.RelativePath)) == f.Text,
                $"rtl-out/{name}/{f.RelativePath} differs from the generator's output; regenerate with BIT1HW_UPDATE_RTL=1");
    }

    [Theory]
    [InlineData("default")]
    [InlineData("large")]
    public void Checked_in_rtl_out_reads_like_hardware(string name)
    {
        // STYLE.md "Emitting Verilog": no multiplexer with two identical arms, no chained name
        // suffixes (rom_data_1_1, x_t_t), opcodes as localparams, a comment heading the logic.
        foreach (string file in Directory.GetFiles(Path.Combine(Repo.Root, "rtl-out", name), "*.v"))
        {
            string text = File.ReadAllText(file);
            string f = Path.GetFileName(file);
            Assert.DoesNotMatch(@"\? (\S+) : \1;", text);
            Assert.DoesNotMatch(@"\b\w*?(_\d+)\1\b", text);
            Assert.DoesNotContain("_t_t", text);
            Assert.True(text.Contains("    // ", StringComparison.Ordinal), $"{f}: no comment in the body");
            if (f.StartsWith("bit1hw_ctrl_", StringComparison.Ordinal))
                Assert.Contains("localparam [3:0] OP_MAC = 4'd3;", text);
        }
    }

    [Fact]
    public void Generating_twice_gives_identical_bytes_and_no_machine_paths_or_carriage_returns()
    {
        var cfg = Configs.Small(7, 3);
        var a = RtlGenerator.Generate(cfg);
        var b = RtlGenerator.Generate(cfg);
        Assert.Equal(a, b);
        foreach (var f in a)
        {
            Assert.DoesNotContain("\r", f.Text);
            Assert.DoesNotContain(Repo.Root, f.Text);
            Assert.DoesNotContain("/tmp", f.Text);
        }
    }
}
