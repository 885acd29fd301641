using System.Globalization;

namespace Bit1HW.Sim;

/// <summary>
/// A signal in a GTKWave save file: its full name as GTKWave lists it (scopes, name, bit range) and
/// optionally the name to show instead of the bare leaf name (<c>wmem/we</c> rather than <c>we</c>; a dot would be taken for a scope).
/// </summary>
public sealed record WaveSignal(string FullName, int Width, bool Signed = false, bool Hex = false, string? Alias = null);

public sealed record WaveGroup(string Name, IReadOnlyList<WaveSignal> Signals);

/// <summary>
/// Writes a GTKWave save file (<c>.gtkw</c>): the dump file it belongs to (a name relative to the
/// save file, so the pair can be moved together), a zoom that fits the whole run into the window,
/// then each group as a named, open group of traces.
/// A trace's display flags are GTKWave's: 0x20 right-justify with 0x8 binary (one bit), 0x4 decimal,
/// 0x2 hexadecimal, 0x400 signed; 0x800000 / 0x1000000 open and close a group, 0x200 marks its label.
/// </summary>
public static class GtkWaveSave
{
    private const int RightJustify = 0x20, Binary = 0x8, Decimal = 0x4, Hexadecimal = 0x2, Signed = 0x400;
    private const int Blank = 0x200, GroupBegin = 0x800000, GroupEnd = 0x1000000;

    /// <summary>Pixels of the wave pane (at the window size written below) that the initial zoom fills.</summary>
    private const double WavePanePixels = 760;

    /// <summary>
    /// GTKWave 3.3 draws 200 pixels per time unit at zoom 0 and halves that per zoom step down
    /// (measured on screenshots of a 1 ns dump at zooms 0 and -8).
    /// </summary>
    private const double PixelsPerUnitAtZoomZero = 200;

    /// <param name="endTime">The dump's last time stamp, in its time unit: the initial zoom shows 0..endTime.</param>
    public static string Build(string dumpFileName, long endTime, IReadOnlyList<WaveGroup> groups)
    {
        var w = new StringWriter { NewLine = "\n" };
        w.Write("[*] Bit1HW waveform view; open with: gtkwave " + Path.ChangeExtension(dumpFileName, ".gtkw") + "\n");
        w.Write($"[dumpfile] \"{dumpFileName}\"\n");
        w.Write("[timestart] 0\n[size] 1400 900\n[pos] -1 -1\n");
        // The zoom, then the primary marker and 26 named markers, all unset.
        double zoom = -Math.Log2(Math.Max(1, endTime) * PixelsPerUnitAtZoomZero / WavePanePixels);
        w.Write("*" + zoom.ToString("F6", CultureInfo.InvariantCulture) + string.Concat(Enumerable.Repeat(" -1", 27)) + "\n");
        w.Write("[sst_width] 240\n[signals_width] 260\n[sst_expanded] 1\n[sst_vpaned_height] 300\n");
        foreach (WaveGroup g in groups.Where(g => g.Signals.Count > 0))
        {
            Flags(w, Blank | GroupBegin);
            w.Write($"-{g.Name}\n");
            int last = -1;
            foreach (WaveSignal s in g.Signals)
            {
                int flags = RightJustify | (s.Width == 1 ? Binary : s.Hex ? Hexadecimal : Decimal) | (s.Signed ? Signed : 0);
                if (flags != last) Flags(w, flags);
                last = flags;
                w.Write((s.Alias is null ? "" : "+{" + s.Alias + "} ") + s.FullName + "\n");
            }
            Flags(w, Blank | GroupEnd);
            w.Write($"-{g.Name}\n");
        }
        w.Write("[pattern_trace] 1\n[pattern_trace] 0\n");
        return w.ToString();
    }

    private static void Flags(TextWriter w, int flags) => w.Write("@" + flags.ToString("x", CultureInfo.InvariantCulture) + "\n");
}
