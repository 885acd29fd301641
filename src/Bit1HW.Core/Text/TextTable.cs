namespace Bit1HW.Energy.Reporting;

/// <summary>A plain-text table with left-aligned first column and right-aligned numbers, "\n" line ends.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length) throw new InvalidOperationException($"row has {cells.Length} cells, table has {headers.Length} columns");
        _rows.Add(cells);
    }

    public void WriteTo(TextWriter w)
    {
        int[] widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) =>
            string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();
        w.Write(Line(headers) + "\n");
        w.Write(string.Join("  ", widths.Select(n => new string('-', n))) + "\n");
        foreach (var r in _rows) w.Write(Line(r) + "\n");
    }
}
