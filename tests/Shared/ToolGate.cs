using Bit1HW.Core.Tools;

namespace Bit1HW.Testing;

/// <summary>
/// A fact that needs external tools (verilator, iverilog, yosys, ...): skipped, with the missing
/// tool named in the reason, when one is missing locally; never skipped when CI=true, where the
/// test runs and fails on the missing tool, so a green CI never hides a co-simulation that did not run.
/// </summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools) => Skip = ToolGate.SkipReason(tools);
}

/// <summary>The <see cref="ToolFactAttribute"/> of theories.</summary>
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools) => Skip = ToolGate.SkipReason(tools);
}

/// <summary>The one tool gate of the test suite.</summary>
internal static class ToolGate
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null (run the test) when every tool is installed or CI=true; otherwise why the test is skipped.</summary>
    public static string? SkipReason(params string[] tools)
    {
        if (IsCi) return null;
        string[] missing = tools.Where(t => !IsAvailable(t)).ToArray();
        return missing.Length == 0 ? null : $"needs {string.Join(", ", missing)} (run `make setup`); this test is not skipped when CI=true";
    }

    private static bool IsAvailable(string tool) => ToolRunner.IsInstalled(tool);
}
