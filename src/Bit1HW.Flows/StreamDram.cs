using System.Runtime.CompilerServices;
using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.Model.Decoding;

namespace Bit1HW.Flows;

/// <summary>
/// The simulated DRAM image of a model for a streaming engine: every projection's chunks laid out
/// one after another in one external address space (<see cref="StreamAddressSpace"/>, from byte 0)
/// the first time the decoder uses the projection, each chunk's stream packed once
/// (<see cref="WeightStream"/>). A chunk's run sees the memory through a window at its own address
/// (<see cref="ExternalMemory"/> with that base), so every burst reads the address it would in the
/// whole image, and a read outside the chunk's stream is an error the memory slave reports.
/// </summary>
internal sealed class StreamDram(HardwareConfig config, ChunkPlanner planner)
{
    private readonly StreamAddressSpace _space = new(config);
    private readonly ConditionalWeakTable<TernaryMatrix, Placed[]> _placed = [];

    /// <summary>One chunk in the image: its window of external memory and its placement in bursts from byte 0.</summary>
    public sealed record Placed(Chunk Chunk, ExternalMemory Window, StreamPlacement Place, MemoryLayout Layout);

    public long Bytes => _space.Bytes;

    /// <summary>The chunks of <paramref name="w"/>, laid out at first use.</summary>
    public Placed[] Chunks(TernaryMatrix w, LinearSite site)
    {
        lock (_placed)
        {
            if (_placed.TryGetValue(w, out Placed[]? placed)) return placed;
            placed = planner.Plan(w.Rows, w.Cols).Select(chunk => Place(w, chunk, site)).ToArray();
            _placed.Add(w, placed);
            return placed;
        }
    }

    private Placed Place(TernaryMatrix w, Chunk chunk, LinearSite site)
    {
        var shape = new Core.Hardware.Workload(1, chunk.Rows, chunk.Cols);
        MemoryLayout layout = MemoryLayout.For(shape, config);
        var layer = new Layer(shape, PreparedChunks.Weights(w, chunk), new sbyte[chunk.Cols]);
        byte[] stream = WeightStream.Build(layer, layout, config);
        StreamPlacement place = _space.Add($"layer {site.Layer} {site.Projection}", stream.Length / config.Stream!.BurstBytes);
        // The window starts at the chunk's first byte and weight_base is byte 0 of the image, so the
        // program's SETS operand is the chunk's first burst in the whole image.
        return new Placed(chunk, new ExternalMemory((ulong)(place.FirstBurst * config.Stream.BurstBytes), stream), place, layout);
    }
}
