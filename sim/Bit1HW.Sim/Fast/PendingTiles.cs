namespace Bit1HW.Sim.Fast;

/// <summary>
/// Tiles that have been read but have not yet landed in the accumulators. A tile read in cycle t
/// lands in cycle t + 1 + L (docs/hardware.md, "Datapath"); a MAC of n tiles from cycle c is one
/// <see cref="Segment"/> landing in cycles c + 1 + L .. c + L + n. Segments are kept by address and
/// computed only when something observes the accumulators (OUT, the end of a run), so a block lands
/// through one kernel call; a CLR drops what landed before it without computing it. Tiles still in
/// flight when the engine stops are turned into explicit values (<see cref="Freeze"/>): the host
/// may rewrite the memories before they land, and the hardware's pipeline already holds their data.
/// </summary>
internal sealed class PendingTiles
{
    internal struct Segment
    {
        public long Land;     // landing cycle of the first tile
        public int Count, Weight, Act;
    }

    private Segment[] _segments = new Segment[16];
    private int _segmentCount;
    private readonly List<(long Land, int[] Values)> _frozen = [];

    public bool IsEmpty => _segmentCount == 0 && _frozen.Count == 0;

    /// <summary>Adds n tiles from words (weight, act), landing from <paramref name="land"/>; contiguous blocks merge.</summary>
    public void Add(long land, int count, int weight, int act)
    {
        if (_segmentCount > 0)
        {
            ref Segment last = ref _segments[_segmentCount - 1];
            if (last.Land + last.Count == land && last.Weight + last.Count == weight && last.Act + last.Count == act)
            {
                last.Count += count;
                return;
            }
        }
        if (_segmentCount == _segments.Length) Array.Resize(ref _segments, 2 * _segments.Length);
        _segments[_segmentCount++] = new Segment { Land = land, Count = count, Weight = weight, Act = act };
    }

    /// <summary>Whether a tile lands exactly in <paramref name="cycle"/>.</summary>
    public bool LandsAt(long cycle)
    {
        for (int i = 0; i < _segmentCount; i++)
            if (cycle >= _segments[i].Land && cycle < _segments[i].Land + _segments[i].Count) return true;
        foreach (var (land, _) in _frozen) if (land == cycle) return true;
        return false;
    }

    /// <summary>
    /// Takes every tile landing before <paramref name="cycle"/> out of the queue: segments (or
    /// their landed prefix) go to <paramref name="segment"/>, frozen values to <paramref name="frozen"/>
    /// (either may ignore the values, as a CLR does). Returns the number of tiles taken.
    /// </summary>
    public long TakeBefore(long cycle, SegmentSink segment, FrozenSink frozen)
    {
        long taken = 0;
        int kept = 0;
        for (int i = 0; i < _segmentCount; i++)
        {
            Segment s = _segments[i];
            int landed = (int)Math.Clamp(cycle - s.Land, 0, s.Count);
            if (landed > 0)
            {
                segment(s.Weight, s.Act, landed);
                taken += landed;
                s.Land += landed;
                s.Count -= landed;
                s.Weight += landed;
                s.Act += landed;
            }
            if (s.Count > 0) _segments[kept++] = s;
        }
        _segmentCount = kept;
        for (int i = 0; i < _frozen.Count; i++)
        {
            if (_frozen[i].Land >= cycle) continue;
            frozen(_frozen[i].Values);
            taken++;
            _frozen.RemoveAt(i--);
        }
        return taken;
    }

    /// <summary>Turns every queued segment into per-tile values computed now (at most L tiles are still in flight).</summary>
    public void Freeze(Func<int, int, int[]> tileValues)
    {
        for (int i = 0; i < _segmentCount; i++)
        {
            Segment s = _segments[i];
            for (int k = 0; k < s.Count; k++) _frozen.Add((s.Land + k, tileValues(s.Weight + k, s.Act + k)));
        }
        _segmentCount = 0;
    }

    /// <summary>Every tile still queued lands <paramref name="cycles"/> later (a streaming run's stall cycles froze the pipeline).</summary>
    public void Delay(long cycles)
    {
        for (int i = 0; i < _segmentCount; i++) _segments[i].Land += cycles;
        for (int i = 0; i < _frozen.Count; i++) _frozen[i] = (_frozen[i].Land + cycles, _frozen[i].Values);
    }

    public void Clear()
    {
        _segmentCount = 0;
        _frozen.Clear();
    }

    internal delegate void SegmentSink(int weight, int act, int count);
    internal delegate void FrozenSink(int[] values);
}
