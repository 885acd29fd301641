using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;

namespace Bit1HW.CoSim.Tests;

/// <summary>
/// The generated C++ harness byte for byte against checked-in goldens (regenerate with
/// BIT1HW_UPDATE_GOLDEN=1 after a deliberate change): a template edit that changes the text, and so
/// the Verilator cache key, shows up as a reviewable diff.
/// </summary>
public class HarnessGoldenTests
{
    [Theory]
    [InlineData("harness-default.cpp", 16, 4, false)]
    [InlineData("harness-default-trace.cpp", 16, 4, true)]
    [InlineData("harness-l4-r8-64bit.cpp", 4, 8, false)]
    [InlineData("harness-l1-r1-32bit.cpp", 1, 1, false)]
    public void The_harness_is_byte_for_byte_the_golden(string file, int lanes, int rows, bool trace)
    {
        var cfg = new HardwareConfig { Lanes = lanes, Rows = rows, ActBits = lanes == 16 ? 8 : 4, MaxK = lanes == 16 ? 2048 : 16 }.Validate();
        string text = VerilatorHarness.Generate(cfg, trace);
        string path = RepoPaths.Of("tests", "Bit1HW.CoSim.Tests", "Golden", file);
        if (Environment.GetEnvironmentVariable("BIT1HW_UPDATE_GOLDEN") == "1") AtomicFile.WriteAllText(path, text);
        Assert.True(File.Exists(path), $"{path} is missing; run with BIT1HW_UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllText(path), text);
    }
}
