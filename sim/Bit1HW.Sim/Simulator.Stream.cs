using System.Runtime.InteropServices;
using Bit1HW.Core.Hardware;
using Bit1HW.Sim.Fast;

namespace Bit1HW.Sim;

public static partial class Simulator
{
    /// <summary>
    /// The fast path for a streaming image: <see cref="StreamTimeline"/> steps the stream engine and
    /// the memory slave through the run to count its stall cycles and find the bursts it reads; the
    /// <see cref="FastEngine"/> then runs the static schedule with the k-th tile reading stream word k
    /// (a stall freezes the datapath, so the sums do not depend on the memory), and busy falls S
    /// cycles later. The host's edges are those of the cycle path (reset, imem, amem, start, then
    /// one read per output), so the slave's random draws, and so the stalls, are the same.
    /// </summary>
    internal static SimResult RunFastStreaming(ProgramImage image, MemoryModel memory, KernelIsa isa, FastFault fault = FastFault.None)
    {
        CheckInstructionStream(image);
        return new PreparedProgram(image, true, memory, fault).Run(new FastEngine(image.Config, isa, fault));
    }
}

/// <summary>A streaming run's weight words, in the fast path's layout.</summary>
internal static class StreamStore
{
    /// <summary>
    /// The words the run received, in stream order, in the fast path's layout: each burst's beats
    /// as the slave returns them (zeros for a beat outside the image), decoded as the ring decodes them.
    /// </summary>
    public static WeightStore Build(ProgramImage image, StreamTraffic traffic)
    {
        HardwareConfig c = image.Config;
        ExternalMemory external = image.External!;
        StreamConfig st = c.Stream!;
        int beatBytes = st.AxiDataBits / 8, wordBits = c.StreamWordBits;
        var bytes = new byte[checked((long)traffic.BurstAddresses.Count * st.BurstBytes + 8)];
        for (int b = 0; b < traffic.BurstAddresses.Count; b++)
            for (int beat = 0; beat < st.BurstBeats; beat++)
            {
                ulong at = traffic.BurstAddresses[b] + (ulong)(beat * beatBytes);
                if (external.Holds(at, beatBytes))
                    external.Bytes.AsSpan((int)(at - external.BaseAddress), beatBytes).CopyTo(bytes.AsSpan(b * st.BurstBytes + beat * beatBytes));
            }
        int words = checked((int)traffic.RingWords);
        var layout = new TileLayout(c);
        var store = new WeightStore(c, layout, Math.Max(words, 1));
        var limbs = new uint[MemoryImage.LimbCount(c.WeightWordBits)];
        bool direct = st.Packing == WeightPacking.TwoBit && wordBits % 32 == 0;
        var weights = new short[c.Rows * c.Lanes];
        var window = new uint[MemoryImage.LimbCount(wordBits) + 1];
        for (int k = 0; k < words; k++)
        {
            long bit = (long)k * wordBits;
            if (direct)
            {
                store.Write(k, MemoryMarshal.Cast<byte, uint>(bytes.AsSpan((int)(bit / 8), wordBits / 8)));
                continue;
            }
            // The word's bits start at bit `bit` of the stream: take whole limbs around it, decode from the offset.
            Array.Clear(window);
            int first = (int)(bit / 8) & ~3, offset = (int)(bit - 8L * first);
            Buffer.BlockCopy(bytes, first, window, 0, Math.Min(window.Length * 4, bytes.Length - first));
            StreamWord.Decode(window, offset, st.Packing == WeightPacking.Base3, weights);
            Array.Clear(limbs);
            for (int i = 0; i < weights.Length; i++)
                if (weights[i] != 0) limbs[i >> 4] |= (weights[i] == 1 ? 1u : 3u) << (2 * (i & 15));
            store.Write(k, limbs);
        }
        return store;
    }
}
