using System.Globalization;
using System.Numerics;

namespace Bit1HW.Testing;

/// <summary>
/// A minimal VCD reader for tests: the timescale, every variable by its full name as GTKWave lists
/// it (dotted scopes, name, bit range), and each variable's changes as (time, value) in file order.
/// Several names may share one identifier (Verilator aliases a port and the net it drives).
/// </summary>
internal sealed class VcdReader
{
    public string Timescale { get; private set; } = "";
    public Dictionary<string, (string Id, int Width)> Variables { get; } = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(long Time, BigInteger Value)>> _changes = new(StringComparer.Ordinal);

    public static VcdReader Parse(string text)
    {
        var r = new VcdReader();
        var scopes = new List<string>();
        long time = -1;
        bool body = false;
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].Trim();
            string[] p = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (p.Length == 0) continue;
            if (!body)
            {
                if (p[0] == "$timescale") r.Timescale = p.Length > 2 && p[1] != "$end" ? p[1] : lines[++n].Trim();
                else if (p[0] == "$scope") scopes.Add(p[2]);
                else if (p[0] == "$upscope") scopes.RemoveAt(scopes.Count - 1);
                else if (p[0] == "$var")
                {
                    string name = string.Join('.', scopes) + "." + p[4] + (p[5] == "$end" ? "" : p[5]);
                    r.Variables[name] = (p[3], int.Parse(p[2], CultureInfo.InvariantCulture));
                    r._changes.TryAdd(p[3], []);
                }
                else if (p[0] == "$enddefinitions") body = true;
                continue;
            }
            if (line[0] == '#') time = long.Parse(line[1..], CultureInfo.InvariantCulture);
            else if (line[0] == 'b') Add(r, p[1], time, Bits(p[0][1..]));
            else if (line[0] is '0' or '1' or 'x' or 'z') Add(r, line[1..], time, line[0] == '1' ? BigInteger.One : BigInteger.Zero);
        }
        return r;
    }

    private static void Add(VcdReader r, string id, long time, BigInteger value)
    {
        if (r._changes.TryGetValue(id, out var list)) list.Add((time, value));
    }

    private static BigInteger Bits(string digits)
    {
        BigInteger v = BigInteger.Zero;
        foreach (char c in digits) v = (v << 1) | (c == '1' ? BigInteger.One : BigInteger.Zero);
        return v;
    }

    /// <summary>The changes of the variable with this full name, dropping repeats of an unchanged value.</summary>
    public List<(long Time, BigInteger Value)> Changes(string fullName)
    {
        var result = new List<(long, BigInteger)>();
        foreach (var c in _changes[Variables[fullName].Id])
            if (result.Count == 0 || result[^1].Item2 != c.Value) result.Add(c);
        return result;
    }

    /// <summary>The value at <paramref name="time"/> (after any change at that time); 0 before the first change.</summary>
    public BigInteger At(string fullName, long time) =>
        Changes(fullName).Where(c => c.Time <= time).Select(c => c.Value).LastOrDefault();
}
