using System.Diagnostics;
using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.Sim;
using Bit1HW.Sim.Fast;

namespace Bit1HW.Flows;

/// <summary>
/// The simulator backend without repeated work across tokens: every chunk of every projection is
/// compiled once per model and hardware configuration (on its first use) and kept as a
/// <see cref="PreparedProgram"/> — its instruction stream and its weight memory, converted once —
/// so a token only packs its activations, runs each chunk on the fast path (chunks in parallel, one
/// engine per thread) and reads the outputs. A chunk's run is the same host sequence as
/// <see cref="Simulator.Run(ProgramImage, SimPath, IProgress{double})"/> on its compiled image, so
/// cycles, outputs and activity counters are those of compiling and simulating it afresh.
/// Its energy is a function of its activity counters alone, so the price is kept with the counters
/// it was computed from and recomputed only when they differ.
/// </summary>
internal sealed class PreparedChunks(HardwareConfig config, ChunkPlanner planner, Func<SimResult, double> price) : IDisposable
{
    private readonly Dictionary<TernaryMatrix, KeptChunk[]> _chunks = new(ReferenceEqualityComparer.Instance);
    private readonly ThreadLocal<FastEngine> _engines = new(() => new FastEngine(config));
    private int _compilations;
    private readonly ChunkTimes _times = new();

    /// <summary>Chunks compiled so far (each once per model and configuration).</summary>
    public int Compilations => _compilations;
    /// <summary>Where the chunks' time went so far (thread time summed over the threads).</summary>
    public ChunkTimes Times => _times;

    /// <summary>The weights of one chunk, row-major, decoded from the matrix's 2-bit codes.</summary>
    public static sbyte[] Weights(TernaryMatrix w, Chunk b)
    {
        var weights = new sbyte[(long)b.Rows * b.Cols];
        for (int r = 0; r < b.Rows; r++)
        {
            ReadOnlySpan<byte> row = w.Packed.AsSpan((int)((long)(b.Row0 + r) * w.RowStrideBytes), w.RowStrideBytes);
            Span<sbyte> to = weights.AsSpan(r * b.Cols, b.Cols);
            for (int c = 0; c < b.Cols; c++)
            {
                int col = b.Col0 + c, code = (row[col >> 2] >> (2 * (col & 3))) & 3;
                // 00 → 0, 01 → +1, 11 → -1; the unused 10 goes through Get, which names it.
                to[c] = code == 2 ? w.Get(b.Row0 + r, col) : (sbyte)(code == 3 ? -1 : code);
            }
        }
        return weights;
    }

    /// <summary>acc = W · xq, exact; returns each chunk's busy cycles and energy, in plan order.</summary>
    public (long Cycles, double Picojoules)[] MatVec(TernaryMatrix w, ReadOnlySpan<sbyte> xq, Span<int> acc)
    {
        KeptChunk[] chunks = ChunksOf(w);
        Layer.ValidateActivations(xq, config);
        sbyte[] x = xq.ToArray();
        var results = new int[chunks.Length][];
        // One worker per core: a chunk's first run compiles for milliseconds, and without a cap the
        // thread pool would add threads that only share the same cores (and each its own engine).
        Parallel.For(0, chunks.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            if (!chunks[i].IsCompiled) Interlocked.Increment(ref _compilations);
            results[i] = chunks[i].Run(w, x, _engines.Value!, config, price, _times);
        });
        acc.Clear();
        var spent = new (long, double)[chunks.Length];
        for (int i = 0; i < chunks.Length; i++)
        {
            Chunk b = chunks[i].Bounds;
            for (int r = 0; r < b.Rows; r++) acc[b.Row0 + r] += results[i][r];
            spent[i] = (chunks[i].LastCycles, chunks[i].LastPicojoules);
        }
        return spent;
    }

    public void Dispose() => _engines.Dispose();

    private KeptChunk[] ChunksOf(TernaryMatrix w)
    {
        lock (_chunks)
        {
            if (!_chunks.TryGetValue(w, out KeptChunk[]? chunks))
                _chunks[w] = chunks = [.. planner.Plan(w.Rows, w.Cols).Select(b => new KeptChunk(b))];
            return chunks;
        }
    }

    /// <summary>One chunk: compiled on first use, then only its activations change.</summary>
    private sealed class KeptChunk(Chunk bounds)
    {
        private PreparedProgram? _program;
        private MemoryLayout? _layout;
        private string? _pricedCounters;

        public Chunk Bounds => bounds;
        public bool IsCompiled => _program is not null;
        public long LastCycles { get; private set; }
        public double LastPicojoules { get; private set; }

        public int[] Run(TernaryMatrix w, sbyte[] xq, FastEngine engine, HardwareConfig config, Func<SimResult, double> price, ChunkTimes times)
        {
            ReadOnlySpan<sbyte> x = xq.AsSpan(bounds.Col0, bounds.Cols);
            long t0 = Stopwatch.GetTimestamp();
            if (_program is null)
            {
                var compiled = LayerCompiler.Compile(new Layer(new Workload(1, bounds.Rows, bounds.Cols), Weights(w, bounds), x.ToArray()), config);
                _program = new PreparedProgram(compiled.Image, keepActivations: false);
                _layout = compiled.Layout;
            }
            long t1 = Stopwatch.GetTimestamp();
            MemoryImage activations = _layout!.PackActivations(x, bounds.Cols, config);
            long t2 = Stopwatch.GetTimestamp();
            SimResult r = _program.Run(engine, activations);
            long t3 = Stopwatch.GetTimestamp();
            LastCycles = r.Cycles;
            string counters = Counters(r.Activity);
            if (counters != _pricedCounters)
            {
                LastPicojoules = price(r);
                _pricedCounters = counters;
            }
            times.Add(t1 - t0, t2 - t1, t3 - t2, Stopwatch.GetTimestamp() - t3);
            return r.Acc;
        }

        private static string Counters(ActivityCounters a) =>
            $"{a.Cycles} {a.PredictedCycles} {a.InstructionsIssued} {a.MacTiles} {a.TermsZeroWeight} {a.AccumulatorAdds} " +
            $"{a.AccumulatorLoads} {a.OutputWrites} {a.OutputReads} {a.SramWriteBits}";
    }
}

/// <summary>Stopwatch totals of the chunks' work, summed over threads: compiling, packing activations, simulating, pricing.</summary>
public sealed class ChunkTimes
{
    private long _compile, _pack, _simulate, _price;

    internal void Add(long compile, long pack, long simulate, long price)
    {
        Interlocked.Add(ref _compile, compile);
        Interlocked.Add(ref _pack, pack);
        Interlocked.Add(ref _simulate, simulate);
        Interlocked.Add(ref _price, price);
    }

    public (double Compile, double Pack, double Simulate, double Price) Seconds =>
        (S(_compile), S(_pack), S(_simulate), S(_price));

    private static double S(long ticks) => (double)ticks / Stopwatch.Frequency;
}
