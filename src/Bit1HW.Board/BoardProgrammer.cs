using Bit1HW.Core;
using Bit1HW.Core.Tools;

namespace Bit1HW.Board;

/// <summary>
/// Flashes a bitstream into the iCEBreaker's SPI flash with a Debian-packaged programmer: iceprog
/// (package fpga-icestorm) when installed, else openFPGALoader (package openfpgaloader) with its
/// iCEBreaker board profile. The FPGA configures itself from the flash after the write. Without a
/// board on USB both tools fail with their own wording; that becomes one plain
/// <see cref="ExternalToolException"/> (exit 3) saying no board was found.
/// </summary>
public static class BoardProgrammer
{
    /// <summary>The programmer command for <paramref name="bin"/>, or null when neither tool is installed.</summary>
    public static (string Tool, string[] Args)? Command(string bin) =>
        ToolRunner.IsInstalled("iceprog") ? ("iceprog", [bin])
        : ToolRunner.IsInstalled("openFPGALoader") ? ("openFPGALoader", ["-b", "ice40_generic", "-f", bin])
        : null;

    public static string Program(string bin, Action<string> progress)
    {
        if (!File.Exists(bin)) throw new UserInputException("--bin", $"{bin} does not exist; build it with `bit1hw board build --board icebreaker`");
        var (tool, args) = Command(bin)
            ?? throw new ExternalToolException("iceprog", "neither iceprog (Debian fpga-icestorm) nor openFPGALoader (Debian openfpgaloader) is installed; run `make setup`");
        progress($"board: {tool} {string.Join(' ', args)} (erases and writes the flash; about 10 s)");
        ToolResult r = ToolRunner.Run(tool, args, Directory.GetCurrentDirectory(), TimeSpan.FromMinutes(5));
        string output = (r.Stderr + "\n" + r.Stdout).Trim();
        if (r.ExitCode == 0) return $"board: flashed {bin} with {tool}";
        if (NoBoard(output))
            throw new ExternalToolException("board", $"no iCEBreaker found on USB ({tool}: {FirstLine(output)}); plug it in, and on Linux allow your user to open the FTDI device (udev rule for 0403:6010)");
        throw new ExternalToolException(tool, $"exit {r.ExitCode}: {FirstLine(output)}");
    }

    /// <summary>The tools' wording when no FTDI device answers: iceprog "Can't find iCE FTDI USB device", openFPGALoader "unable to open ftdi device" / "No cable".</summary>
    internal static bool NoBoard(string output) =>
        output.Contains("Can't find iCE FTDI USB device", StringComparison.OrdinalIgnoreCase)
        || output.Contains("unable to open ftdi device", StringComparison.OrdinalIgnoreCase)
        || output.Contains("no cable", StringComparison.OrdinalIgnoreCase)
        || output.Contains("No device found", StringComparison.OrdinalIgnoreCase);

    private static string FirstLine(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(l => l != "init.." && !l.StartsWith("init", StringComparison.Ordinal)) ?? "(no output)";
}
