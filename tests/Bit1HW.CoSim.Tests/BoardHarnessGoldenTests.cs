using Bit1HW.Core.IO;

namespace Bit1HW.CoSim.Tests;

/// <summary>The UART board top's C++ harness byte for byte against its checked-in golden (BIT1HW_UPDATE_GOLDEN=1 regenerates it).</summary>
public class BoardHarnessGoldenTests
{
    private const string Top = "bit1hw_uart_board_l8_r2_a8_p1_ternary_d4";

    [Fact]
    public void The_board_harness_is_byte_for_byte_the_golden()
    {
        string text = BoardHarness.Generate(Top);
        string path = RepoPaths.Of("tests", "Bit1HW.CoSim.Tests", "Golden", "board-harness.cpp");
        if (Environment.GetEnvironmentVariable("BIT1HW_UPDATE_GOLDEN") == "1") AtomicFile.WriteAllText(path, text);
        Assert.True(File.Exists(path), $"{path} is missing; run with BIT1HW_UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllText(path), text);
    }
}
