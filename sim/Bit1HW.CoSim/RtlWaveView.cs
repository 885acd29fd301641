using Bit1HW.Core.Hardware;
using Bit1HW.Sim;

namespace Bit1HW.CoSim;

/// <summary>
/// A GTKWave save file for a Verilator <c>rtl.vcd</c>, grouped like the simulator's (ports,
/// controller, memories, accumulators). Verilator names the scopes after the generated instances,
/// so the groups are found in the dump's own header: the ports under <c>TOP</c>, and under the top
/// module the <c>ctrl</c> registers, the memories' write and read ports and the array's
/// accumulators and PE outputs. A name the RTL lacks is skipped, never invented.
/// </summary>
public static class RtlWaveView
{
    private static readonly string[] PortOrder =
        ["clk", "rst", "start", "host_we", "host_sel", "host_addr", "host_wdata", "host_raddr", "host_rrow", "busy", "done", "host_rdata", "dbg_pc", "dbg_acc_en"];
    private static readonly string[] ControllerOrder = ["busy", "done", "pc", "ir", "wp", "ap"];
    private static readonly string[] MemoryPorts = ["we", "waddr", "raddr"];
    private static readonly HashSet<string> SignedPorts = ["host_rdata"];

    public static string SaveFile(string rtlVcdPath, HardwareConfig config)
    {
        var vars = ReadHeader(File.ReadLines(rtlVcdPath));
        long end = File.ReadLines(rtlVcdPath).Where(l => l.StartsWith('#')).Select(l => long.Parse(l.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)).LastOrDefault();
        string top = "TOP." + VerilatorHarness.TopModuleName(config);
        List<WaveSignal> Pick(string scope, IEnumerable<string> names, Func<string, bool> signed) =>
            [.. names.Select(n => vars.FirstOrDefault(v => v.Scope == scope && v.Name == n)).OfType<VcdVar>()
                     .Select(v => new WaveSignal(v.FullName, v.Width, signed(v.Name), Hex: v.Name == "ir" || v.Width > 32,
                         Alias: scope == "TOP" ? null : $"{scope[(top.Length + 1)..].Replace('.', '/')}/{v.Name}"))];
        var memories = new[] { "imem", "wmem", "amem", "omem" }.SelectMany(m => Pick($"{top}.{m}", MemoryPorts, _ => false));
        var array = Pick($"{top}.array", ["in_valid", "clr", "acc_en"], _ => false)
            .Concat(Pick($"{top}.array", Enumerable.Range(0, config.Rows).Select(r => $"acc_{r}"), _ => true));
        return GtkWaveSave.Build(Path.GetFileName(rtlVcdPath), end,
        [
            new WaveGroup("ports", Pick("TOP", PortOrder, SignedPorts.Contains)),
            new WaveGroup("controller", Pick($"{top}.ctrl", ControllerOrder, _ => false)),
            new WaveGroup("memories", [.. memories]),
            new WaveGroup("accumulators", [.. array]),
        ]);
    }

    internal sealed record VcdVar(string Scope, string Name, int Width, string FullName);

    /// <summary>The variables declared in a VCD header, with their dotted scope paths.</summary>
    internal static List<VcdVar> ReadHeader(IEnumerable<string> lines)
    {
        var result = new List<VcdVar>();
        var scopes = new List<string>();
        foreach (string line in lines)
        {
            string[] p = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (p.Length == 0) continue;
            if (p[0] == "$enddefinitions") break;
            if (p[0] == "$scope" && p.Length > 2) scopes.Add(p[2]);
            else if (p[0] == "$upscope" && scopes.Count > 0) scopes.RemoveAt(scopes.Count - 1);
            else if (p[0] == "$var" && p.Length >= 6)
            {
                string scope = string.Join('.', scopes), range = p[5] == "$end" ? "" : p[5];
                result.Add(new VcdVar(scope, p[4], int.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture), $"{scope}.{p[4]}{range}"));
            }
        }
        return result;
    }
}
