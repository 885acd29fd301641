using System.Runtime.CompilerServices;
using System.Diagnostics;

namespace Bit1HW.Model.Decoding;

/// <summary>
/// A fixed team of threads for the decoder's big matrix products (the ternary GEMVs and the
/// lm_head), so that a call costs a few microseconds of hand-off instead of a <c>Parallel.For</c>:
/// a 2B-parameter model makes 211 such calls per token. The caller publishes a job (a chunk count
/// and a body) by bumping a generation counter; the team's threads, spinning on that counter for
/// a short while after their last job and asleep on a monitor after that, take chunks from a shared
/// counter together with the caller. When every chunk is claimed the caller closes the job and waits
/// only for the threads that joined it, so (unlike a barrier, where llama.cpp's threads meet) a
/// thread the OS has not scheduled costs nothing, and one descheduled mid-job delays only its chunk. Which thread runs which chunk is not fixed; callers write disjoint
/// outputs per chunk, so results do not depend on it.
/// <para>One team per thread count lives for the whole process (background threads). Calls on one
/// team are serialised by a lock, so concurrent callers are correct, one at a time. A body must not
/// call <see cref="Run"/> on the same team (it would wait for itself).</para>
/// </summary>
internal sealed class WorkerTeam
{
    /// <summary>How long an idle thread spins before it sleeps: long enough to cover the gap between two products of one token.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 0.2 ms

    private static readonly Dictionary<int, WorkerTeam> Teams = [];

    private readonly object _gate = new(), _sleep = new();
    private long _generation;
    private int _nextChunk, _chunks, _joined, _closed = 1;
    private Action<int>? _body;
    private Exception? _failure;

    /// <summary>Threads taking part in a job, the caller included.</summary>
    public int Threads { get; }

    private WorkerTeam(int threads)
    {
        Threads = threads;
        for (int i = 1; i < threads; i++)
            new Thread(Loop) { IsBackground = true, Name = $"bit1hw worker {i}/{threads}" }.Start();
    }

    /// <summary>The process's team of <paramref name="threads"/> threads (at least 2), created on first use.</summary>
    public static WorkerTeam For(int threads)
    {
        if (threads < 2) throw new ArgumentOutOfRangeException(nameof(threads), $"{threads}: a team has at least 2 threads");
        lock (Teams)
        {
            if (!Teams.TryGetValue(threads, out var team)) Teams[threads] = team = new WorkerTeam(threads);
            return team;
        }
    }

    /// <summary>Runs <paramref name="body"/>(c) for every c in [0, <paramref name="chunks"/>) on the team; rethrows the first exception a chunk threw (after every chunk has run).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int chunks, Action<int> body)
    {
        if (chunks <= 0) return;
        lock (_gate)
        {
            // While the previous job is closed, a late thread backs off without touching this state.
            _body = body;
            _chunks = chunks;
            _nextChunk = 0;
            _failure = null;
            Interlocked.Exchange(ref _closed, 0);
            lock (_sleep)
            {
                Interlocked.Increment(ref _generation);
                Monitor.PulseAll(_sleep);
            }
            Work();
            // Every chunk is claimed. Close the job and wait only for the threads that joined it:
            // a thread the OS has not scheduled yet does not hold the caller up (it backs off).
            Interlocked.Exchange(ref _closed, 1);
            var spin = new SpinWait();
            while (Volatile.Read(ref _joined) != 0) spin.SpinOnce(sleep1Threshold: -1);
            _body = null;
            if (_failure is Exception e) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
        }
    }

    /// <summary>Claims and runs chunks until none is left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Work()
    {
        var body = _body!;
        int c;
        while ((c = Interlocked.Increment(ref _nextChunk) - 1) < _chunks)
        {
            try { body(c); }
            catch (Exception e) { Interlocked.CompareExchange(ref _failure, e, null); }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Loop()
    {
        long seen = 0;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _generation) == seen)
            {
                if (Stopwatch.GetTimestamp() - start < SpinTicks)
                {
                    Thread.SpinWait(20);
                    continue;
                }
                lock (_sleep)
                    while (Volatile.Read(ref _generation) == seen) Monitor.Wait(_sleep);
            }
            seen = Volatile.Read(ref _generation);
            // Join, then look: either the caller sees this thread joined, or this thread sees the job closed.
            Interlocked.Increment(ref _joined);
            if (Volatile.Read(ref _closed) == 0) Work();
            Interlocked.Decrement(ref _joined);
        }
    }
}
