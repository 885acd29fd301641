using Bit1HW.Sim;
using Xunit.Abstractions;

namespace Bit1HW.CoSim.Tests;

/// <summary>
/// Tests that need Verilator call <see cref="RequireVerilator"/>: locally without Verilator they
/// return early with a visible message; with CI=true a missing Verilator fails the test, so a green
/// CI never hides a skipped co-simulation.
/// </summary>
internal static class ToolGate
{
    public static bool RequireVerilator(ITestOutputHelper? output = null)
    {
        bool present = Bit1HW.HdlGen.Synth.ToolRunner.IsInstalled("verilator");
        if (present) return true;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail("verilator is not installed but CI=true: co-simulation must run in CI (make setup installs it)");
        output?.WriteLine("SKIPPED: verilator not found on PATH (run 'make setup'); this test fails under CI=true");
        return false;
    }
}
