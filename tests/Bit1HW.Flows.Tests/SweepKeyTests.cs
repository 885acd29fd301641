using Bit1HW.Core.Hardware;
using Bit1HW.Flows.Sweeps;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Tests;

/// <summary>
/// A sweep point's cache key changes exactly when its result can: with the generated RTL, the
/// options the flow uses, the tools' versions and the constraints' contents; not with what only
/// changes how the run is shown or where its inputs live. No tool runs here.
/// </summary>
public class SweepKeyTests : IDisposable
{
    private static readonly ToolVersions Tools = new("Yosys 0.23 (git sha1 7ce5011c24b)", "nextpnr-ice40 -- Next Generation Place and Route (Version 0.4-1+b1)");
    private static readonly HardwareConfig Small = new() { Lanes = 4, Rows = 2, ActBits = 4, WeightDepth = 32, ActDepth = 16, OutDepth = 16, InstrDepth = 32 };
    private readonly string _dir = Directory.CreateTempSubdirectory("bit1hw-sweepkey-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Pcf(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private SynthPoint Ice40(HardwareConfig? cfg = null) =>
        new(cfg ?? Small, new SynthOptions(SynthTarget.Ice40Up5k) { Seeds = 1, PcfPath = Pcf("pins.pcf", "set_io clk 35\n") });

    private static SynthPoint Xc7(HardwareConfig? cfg = null) => new(cfg ?? Small, new SynthOptions(SynthTarget.Xc7) { PlaceAndRoute = false });

    [Fact]
    public void The_key_is_a_sha256_that_the_same_point_always_gets()
    {
        string key = SweepKey.Of(Ice40(), Tools);
        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(key, SweepKey.Of(Ice40(Small with { }), Tools));
    }

    public static readonly TheoryData<string> Changes = new(
        "lanes", "actBits", "pipeEvery", "pe", "weightDepth", "target", "seeds", "targetMhz", "yosysOnly", "accumulators", "yosys", "nextpnr", "pins");

    [Theory]
    [MemberData(nameof(Changes))]
    public void The_key_changes_when_the_rtl_the_options_the_tools_or_the_pins_change(string change)
    {
        SynthPoint p = Ice40();
        ToolVersions tools = Tools;
        switch (change)
        {
            case "lanes": p = p with { Config = Small with { Lanes = 5 } }; break;
            case "actBits": p = p with { Config = Small with { ActBits = 8 } }; break;
            case "pipeEvery": p = p with { Config = Small with { PipeEvery = 2 } }; break;
            case "pe": p = p with { Config = Small with { Pe = PeKind.Mac } }; break;
            case "weightDepth": p = p with { Config = Small with { WeightDepth = 64 } }; break;
            case "target": p = p with { Options = p.Options with { Target = SynthTarget.Xc7 } }; break;
            case "seeds": p = p with { Options = p.Options with { Seeds = 3 } }; break;
            case "targetMhz": p = p with { Options = p.Options with { TargetMhz = 60 } }; break;
            case "yosysOnly": p = p with { Options = p.Options with { PlaceAndRoute = false } }; break;
            case "accumulators": p = p with { Options = p.Options with { Accumulators = AccumulatorKind.Mac16 } }; break;
            case "yosys": tools = tools with { Yosys = "Yosys 0.38" }; break;
            case "nextpnr": tools = tools with { Nextpnr = "nextpnr-0.7" }; break;
            case "pins": p = p with { Options = p.Options with { PcfPath = Pcf("other.pcf", "set_io clk 36\n") } }; break;
            default: throw new ArgumentException(change);
        }
        Assert.NotEqual(SweepKey.Of(Ice40(), Tools), SweepKey.Of(p, tools));
    }

    [Fact]
    public void The_key_stays_when_only_the_display_or_the_pins_path_changes()
    {
        string key = SweepKey.Of(Ice40(), Tools);
        SynthPoint p = Ice40();
        Assert.Equal(key, SweepKey.Of(p with { Options = p.Options with { ToolOutput = _ => { } } }, Tools));
        Assert.Equal(key, SweepKey.Of(p with { Options = p.Options with { WriteAsc = true } }, Tools));
        Assert.Equal(key, SweepKey.Of(p with { Options = p.Options with { PcfPath = Pcf("copy.pcf", "set_io clk 35\n") } }, Tools));
        // maxK derived or given as the same value: the same hardware.
        Assert.Equal(key, SweepKey.Of(p with { Config = Small with { MaxK = Small.DerivedMaxK } }, Tools));
    }

    [Fact]
    public void A_point_that_is_not_placed_does_not_depend_on_nextpnr_or_the_pins()
    {
        string key = SweepKey.Of(Xc7(), Tools);
        Assert.Equal(key, SweepKey.Of(Xc7(), Tools with { Nextpnr = "nextpnr-0.7" }));
        SynthPoint yosysOnly = Ice40() with { Options = Ice40().Options with { PlaceAndRoute = false } };
        Assert.Equal(SweepKey.Of(yosysOnly, Tools), SweepKey.Of(yosysOnly, Tools with { Nextpnr = "nextpnr-0.7" }));
        Assert.NotEqual(key, SweepKey.Of(Xc7(), Tools with { Yosys = "Yosys 0.38" }));
    }

    [Fact]
    public void The_hashed_text_holds_the_generated_verilog_and_the_yosys_script()
    {
        SynthPoint p = Ice40();
        string text = SweepKey.Text(p, Tools);
        var design = SynthDesign.FromConfig(Small, p.Options.Variant);
        foreach (var f in design.Files) Assert.Contains(f.Text, text);
        Assert.Contains("synth_ice40 -dsp -top " + design.Top, text);
        Assert.Contains("--seed 1", text);
        Assert.Contains("set_io clk 35", text);
        Assert.DoesNotContain(_dir, text);
    }

    [Fact]
    public void The_example_points_file_has_the_eight_small_points_the_docs_describe()
    {
        var points = SweepPointJson.ReadFile(RepoPaths.Of("docs", "examples", "sweep-small.json"), "pins.pcf");
        Assert.Equal(8, points.Count);
        Assert.Equal(4, points.Count(p => p.Options is { Target: SynthTarget.Xc7, PlaceAndRoute: false }));
        Assert.Equal(4, points.Count(p => p.Options is { Target: SynthTarget.Ice40Up5k, PlaceAndRoute: true, Seeds: 1, PcfPath: "pins.pcf" }));
        Assert.Equal(8, points.Select(p => SweepKey.Of(p, Tools)).Distinct().Count());
    }

    [Fact]
    public void A_point_may_name_its_config_file_relative_to_the_points_file()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        File.WriteAllText(Path.Combine(_dir, "sub", "small.json"), Small.ToJson());
        File.WriteAllText(Path.Combine(_dir, "sub", "points.json"), """[{"config": "small.json", "target": "ice40-up5k", "accumulators": "mac16", "targetMhz": 62.5}, {"target": "xc7"}]""");
        var points = SweepPointJson.ReadFile(Path.Combine(_dir, "sub", "points.json"), "pins.pcf");
        Assert.Equal(Small, points[0].Config);
        Assert.Equal(new SynthOptions(SynthTarget.Ice40Up5k) { Accumulators = AccumulatorKind.Mac16, TargetMhz = 62.5, PcfPath = "pins.pcf" }, points[0].Options);
        Assert.Equal(HardwareConfig.Default, points[1].Config);
        Assert.Equal(new SynthOptions(SynthTarget.Xc7) { PcfPath = "pins.pcf" }, points[1].Options);
    }
}
