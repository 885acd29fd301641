namespace Bit1HW.Core.Text;

/// <summary>One column of a <see cref="TextTable"/>. <paramref name="Width"/> 0 sizes the column to
/// its widest cell; a positive width pads every cell to at least that many characters (a longer
/// cell overflows, as a C# alignment component does).</summary>
public sealed record TextColumn(string Header, bool AlignRight = false, int Width = 0);

/// <summary>
/// The one plain-text table printer of every report (energy, model inspection, benchmarks):
/// padded columns, "\n" line ends, no trailing padding (a left-aligned last column is not padded).
/// By default a header line and a dashed rule head the rows, columns are separated by two spaces
/// and sized to their widest cell, the first left-aligned and the others right-aligned.
/// </summary>
public sealed class TextTable
{
    private readonly TextColumn[] _columns;
    private readonly List<string[]> _rows = [];

    /// <summary>Auto-sized columns: the first left-aligned (a name), the others right-aligned (numbers).</summary>
    public TextTable(params string[] headers) : this(headers.Select((h, i) => new TextColumn(h, AlignRight: i > 0)).ToArray()) { }

    public TextTable(params TextColumn[] columns)
    {
        if (columns.Length == 0) throw new ArgumentException("a table needs at least one column", nameof(columns));
        _columns = [.. columns];
    }

    /// <summary>Written before every line.</summary>
    public string Indent { get; init; } = "";
    /// <summary>Written between two cells.</summary>
    public string Separator { get; init; } = "  ";
    /// <summary>Whether the header line is written.</summary>
    public bool ShowHeader { get; init; } = true;
    /// <summary>Whether a line of dashes (one run per column) follows the header.</summary>
    public bool Rule { get; init; } = true;

    public void Add(params string[] cells)
    {
        if (cells.Length != _columns.Length)
            throw new InvalidOperationException($"row has {cells.Length} cells, table has {_columns.Length} columns");
        _rows.Add(cells);
    }

    public void WriteTo(TextWriter w)
    {
        int[] widths = _columns.Select((c, i) => c.Width > 0 ? c.Width
            : _rows.Select(r => r[i].Length).Append(ShowHeader ? c.Header.Length : 0).Max()).ToArray();
        if (ShowHeader)
        {
            w.Write(Line(_columns.Select(c => c.Header).ToArray(), widths));
            if (Rule) w.Write(Indent + string.Join(Separator, widths.Select(n => new string('-', n))) + "\n");
        }
        foreach (string[] r in _rows) w.Write(Line(r, widths));
    }

    /// <summary>
    /// One row as a line, for tables printed row by row as results arrive (benchmarks); every column
    /// needs a fixed <see cref="TextColumn.Width"/>, since later rows cannot widen earlier lines.
    /// </summary>
    public string FormatRow(params string[] cells)
    {
        if (cells.Length != _columns.Length)
            throw new InvalidOperationException($"row has {cells.Length} cells, table has {_columns.Length} columns");
        if (_columns.Any(c => c.Width == 0)) throw new InvalidOperationException("FormatRow needs a fixed width for every column");
        return Line(cells, _columns.Select(c => c.Width).ToArray());
    }

    /// <summary>The header line alone, for <see cref="FormatRow"/>.</summary>
    public string FormatHeader() => FormatRow(_columns.Select(c => c.Header).ToArray());

    public override string ToString()
    {
        var s = new StringWriter { NewLine = "\n" };
        WriteTo(s);
        return s.ToString();
    }

    private string Line(string[] cells, int[] widths)
    {
        int last = cells.Length - 1;
        IEnumerable<string> padded = cells.Select((c, i) =>
            _columns[i].AlignRight ? c.PadLeft(widths[i]) : i == last ? c : c.PadRight(widths[i]));
        return Indent + string.Join(Separator, padded) + "\n";
    }
}
