using Bit1HW.Core.Hardware;

namespace Bit1HW.Compiler;

/// <summary>One piece of a matrix-vector product: weight rows [Row0, Row0 + Rows) × columns [Col0, Col0 + Cols).</summary>
public readonly record struct Chunk(int Row0, int Rows, int Col0, int Cols);

/// <summary>
/// Cuts a one-token matrix-vector product W[rows, cols] · x that is larger than the engine's
/// memories into chunks that each compile: K chunks of at most min(maxK, actDepth · lanes) columns
/// (one token's activations fill amem; the host adds the K chunks' int32 partial sums, which is
/// exact), and in each K chunk row chunks of as many row blocks as fit wmem (row blocks × K tiles),
/// omem (one word per row block) and imem. The imem budget is not a formula: the planner emits
/// the compiler's schedule for a candidate size and counts its words, so it follows the schedule
/// whenever the schedule changes. Chunks come K chunk by K chunk, rows in order within each.
/// </summary>
public sealed class ChunkPlanner
{
    private readonly HardwareConfig _config;
    private readonly Dictionary<int, int> _rowsPerChunk = [];

    public ChunkPlanner(HardwareConfig config) => _config = config.Validate();

    /// <summary>Columns per K chunk: one token's activations must fit amem and the accumulator maxK.</summary>
    public int MaxChunkCols => Math.Min(_config.MaxK, _config.ActDepth * _config.Lanes);

    /// <summary>
    /// Weight rows per chunk for a chunk of <paramref name="cols"/> columns: the largest multiple of
    /// the engine's rows whose one-token schedule fits every memory (at least one row block; a chunk
    /// that cannot fit even then is left for the compiler to reject with its own message).
    /// </summary>
    public int MaxChunkRows(int cols)
    {
        if (cols < 1 || cols > MaxChunkCols)
            throw new ArgumentOutOfRangeException(nameof(cols), cols, $"1..{MaxChunkCols}");
        lock (_rowsPerChunk)
        {
            if (!_rowsPerChunk.TryGetValue(cols, out int rows))
                _rowsPerChunk[cols] = rows = MaxRowBlocks(cols) * _config.Rows;
            return rows;
        }
    }

    /// <summary>The chunks of a [rows, cols] matrix, K chunk by K chunk.</summary>
    public IReadOnlyList<Chunk> Plan(int rows, int cols)
    {
        if (rows < 1 || cols < 1) throw new ArgumentOutOfRangeException(nameof(rows), $"[{rows}, {cols}]: both at least 1");
        var chunks = new List<Chunk>();
        for (int c0 = 0; c0 < cols; c0 += MaxChunkCols)
        {
            int cn = Math.Min(MaxChunkCols, cols - c0);
            int rowChunk = MaxChunkRows(cn);
            for (int r0 = 0; r0 < rows; r0 += rowChunk) chunks.Add(new Chunk(r0, Math.Min(rowChunk, rows - r0), c0, cn));
        }
        return chunks;
    }

    /// <summary>Binary search over row blocks: the schedule's length grows with the number of groups.</summary>
    private int MaxRowBlocks(int cols)
    {
        int kTiles = (cols + _config.Lanes - 1) / _config.Lanes;
        int byWmem = _config.IsStreaming ? int.MaxValue : _config.WeightDepth / kTiles;   // a streaming ring holds any number
        int lo = 1, hi = Math.Max(1, Math.Min(byWmem, _config.OutDepth));
        while (lo < hi)
        {
            int mid = lo + (hi - lo + 1) / 2;
            if (LayerCompiler.InstructionCount(new MemoryLayout(mid, kTiles, 1), _config) <= _config.InstrDepth) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}
