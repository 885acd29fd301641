using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Compiler;

/// <summary>A compiled layer: the image the host loads and the layout the verifier checked it against.</summary>
public sealed record CompiledLayer(ProgramImage Image, MemoryLayout Layout);

/// <summary>
/// Where a streaming layer's weights are: <paramref name="Memory"/> holds them (packed by
/// <see cref="WeightStream.Build"/>) at burst <see cref="StreamPlacement.FirstBurst"/> counted from
/// byte address <paramref name="WeightBase"/>, the top's weight_base.
/// </summary>
public sealed record StreamSource(ExternalMemory Memory, ulong WeightBase, StreamPlacement Place);

/// <summary>
/// The static schedule compiler. One accumulation group per (token t, row block b), in the order
/// t-major: its K tiles stream with one MAC from wmem[b·KT] and amem[t·KT]. Groups overlap: while
/// group g's last tiles drain through the L-stage PEs, group g+1 already issues its first tiles;
/// then OUT (group g, no earlier than its last tile's landing cycle + 1) and CLR follow, timed so
/// that g+1's early tiles land no earlier than the CLR (a tile landing in the CLR's cycle starts the
/// new sum: acc := 0 + pe_out). Per group that costs SET + KT + OUT + CLR cycles, plus NOPs only
/// when KT is shorter than the pipeline (KT &lt; L). The derivation, for g's last tile read in cycle m
/// and one SET in cycle m + 1: g's sum is visible from m + 2 + L, so OUT goes there; CLR follows in
/// m + 3 + L; g+1's tiles read from m + 2 land from m + 3 + L, the CLR's cycle, so p = min(L, KT) of
/// them fit before OUT and nothing is lost. It holds for any L, so the register stages cost no cycles
/// per group, only per layer (the final drain). The result is checked by <see cref="ScheduleVerifier"/>.
/// </summary>
public static class LayerCompiler
{
    /// <summary>Tiles, schedules and verifies one layer for <paramref name="config"/>; a layer that does not fit a memory is a <see cref="UserInputException"/> naming it.
    /// With a streaming config the layer's weights become its own external memory image from byte address 0.</summary>
    public static CompiledLayer Compile(Layer layer, HardwareConfig config)
    {
        config.Validate();
        if (!config.IsStreaming) return Compile(layer, config, null);
        layer.Validate(config);
        MemoryLayout layout = MemoryLayout.For(layer.Shape, config);
        var space = new StreamAddressSpace(config);
        StreamPlacement place = space.Add("layer", WeightStream.Bursts(WeightStream.Words(layout), config));
        return Compile(layer, config, new StreamSource(new ExternalMemory(0, WeightStream.Build(layer, layout, config)), 0, place));
    }

    /// <summary>
    /// A streaming layer whose weights already lie in <paramref name="stream"/>'s memory at its
    /// placement: the program SETS its first burst and LOADs its bursts. Null for a host-fed config.
    /// </summary>
    public static CompiledLayer Compile(Layer layer, HardwareConfig config, StreamSource? stream)
    {
        config.Validate();
        layer.Validate(config);
        if (config.IsStreaming != stream is not null)
            throw new ArgumentException(config.IsStreaming ? "a streaming config needs the weights' external memory" : "a host-fed config takes no external memory", nameof(stream));
        MemoryLayout layout = MemoryLayout.For(layer.Shape, config);
        ProgramBuilder program = Schedule(layout, config, stream?.Place);
        if (program.Words.Count > config.InstrDepth)
            throw new UserInputException("layer",
                $"the schedule needs {program.Words.Count} instructions but the config's instrDepth is {config.InstrDepth} " +
                $"({layout.OutWords} groups of about 5 instructions each)");
        MemoryImage weights = config.IsStreaming ? new MemoryImage(config.WeightWordBits, config.WeightDepth, 0) : layout.PackWeights(layer, config);
        var image = new ProgramImage(config, program.Words.ToArray(), weights, layout.PackActivations(layer, config),
            layer.Shape, OutputWords(layer.Shape, layout, config), OutputRows(layer.Shape, config), program.Cycle,
            stream?.Memory, stream?.WeightBase ?? 0);
        ScheduleVerifier.Verify(image, layout);
        return new CompiledLayer(image, layout);
    }

    /// <summary>The number of instruction words of the schedule the compiler emits for <paramref name="layout"/>
    /// (what must fit instrDepth): the budget of the chunk planner and of the campaigns' layer shapes.</summary>
    public static int InstructionCount(MemoryLayout layout, HardwareConfig config) => ScheduleOnly(layout, config).Length;

    /// <summary>The instruction words the compiler emits for <paramref name="layout"/>, without weights (a streaming
    /// program's stream at burst 0; where it lies changes no cycle): what the estimator predicts from a shape alone.</summary>
    public static uint[] ScheduleOnly(MemoryLayout layout, HardwareConfig config) =>
        Schedule(layout, config, config.IsStreaming ? new StreamPlacement(0, WeightStream.Bursts(WeightStream.Words(layout), config)) : null).Words.ToArray();

    private static ProgramBuilder Schedule(MemoryLayout layout, HardwareConfig config, StreamPlacement? stream)
    {
        var program = new ProgramBuilder(config);
        EmitSchedule(program, layout, stream);
        return program;
    }

    /// <summary>
    /// A streaming program starts with <c>SETS first; LOAD bursts</c> in place of <c>SETW 0</c>: every
    /// burst is queued at once, so the stream engine fetches as far ahead as the ring and
    /// maxOutstanding allow from cycle 4 on (the MACs consume the ring in stream order, which is the
    /// group order below, so no SETW is needed). Everything after is the host-fed schedule.
    /// </summary>
    private static void EmitSchedule(ProgramBuilder p, MemoryLayout layout, StreamPlacement? stream)
    {
        int kt = layout.KTiles, latency = p.LatencyCycles;
        long wp = 0, ap = 0;
        if (stream is { } place)
        {
            p.Emit(Opcode.SetS, (uint)place.FirstBurst);
            p.Emit(Opcode.Load, (uint)place.Bursts);
        }
        else p.Emit(Opcode.SetW, 0);
        p.Emit(Opcode.SetA, 0);
        p.Emit(Opcode.Clr, 0);
        long readyPrev = -1;
        int prevOut = -1;
        for (int t = 0; t < layout.Tokens; t++)
        for (int b = 0; b < layout.RowBlocks; b++)
        {
            int wantW = layout.WeightWord(b, 0), wantA = layout.ActWord(t, 0);
            if (wp != wantW && stream is null) p.Emit(Opcode.SetW, (uint)wantW);
            if (ap != wantA) p.Emit(Opcode.SetA, (uint)wantA);
            int pre = 0;
            if (prevOut >= 0)
            {
                long gap = readyPrev - p.Cycle;
                // Early tiles issued from now land at >= now + 1 + L; they must not land before the CLR.
                if (gap <= latency) pre = (int)Math.Clamp(Math.Min(gap, kt), 0, kt);
                if (pre > 0) p.Emit(Opcode.Mac, (uint)pre);
                if (p.Cycle < readyPrev) p.Emit(Opcode.Nop, (uint)(readyPrev - p.Cycle));
                p.Emit(Opcode.Out, (uint)prevOut);
                p.Emit(Opcode.Clr, 0);
            }
            if (kt - pre > 0) p.Emit(Opcode.Mac, (uint)(kt - pre));
            wp = wantW + kt;
            ap = wantA + kt;
            readyPrev = p.LastMacCycle + 2 + latency;
            prevOut = layout.OutWord(t, b);
        }
        if (p.Cycle < readyPrev) p.Emit(Opcode.Nop, (uint)(readyPrev - p.Cycle));
        p.Emit(Opcode.Out, (uint)prevOut);
        p.Emit(Opcode.Halt, 0);
    }

    private static int[] OutputWords(Workload w, MemoryLayout layout, HardwareConfig c)
    {
        var words = new int[w.Tokens * w.OutFeatures];
        for (int t = 0; t < w.Tokens; t++)
        for (int o = 0; o < w.OutFeatures; o++)
            words[t * w.OutFeatures + o] = layout.OutWord(t, o / c.Rows);
        return words;
    }

    private static int[] OutputRows(Workload w, HardwareConfig c)
    {
        var rows = new int[w.Tokens * w.OutFeatures];
        for (int i = 0; i < rows.Length; i++) rows[i] = i % w.OutFeatures % c.Rows;
        return rows;
    }

    /// <summary>
    /// Appends words and tracks the issue cycle (cycles 0 .. FetchCycles - 1 fetch, so instruction 0
    /// issues in cycle FetchCycles). A NOP or MAC longer than the repeat counter holds
    /// (2^RepeatBits - 1) is split into several back to back: consecutive MACs stream consecutive
    /// tiles with no gap, so the split changes neither the timing nor the tiles.
    /// </summary>
    private sealed class ProgramBuilder(HardwareConfig config)
    {
        private readonly uint _maxCount = (uint)((1L << config.RepeatBits) - 1);

        public List<uint> Words { get; } = [];
        public long Cycle { get; private set; } = config.FetchCycles;
        public long LastMacCycle { get; private set; } = -1;
        public int LatencyCycles => config.PeLatencyCycles;

        public void Emit(Opcode op, uint operand)
        {
            if (op is Opcode.Nop or Opcode.Mac)
                for (; operand > _maxCount; operand -= _maxCount) Append(op, _maxCount);
            Append(op, operand);
        }

        private void Append(Opcode op, uint operand)
        {
            uint word = new Instruction(op, operand).Encode();
            Words.Add(word);
            Cycle += config.InstructionCycles(word);
            if (op == Opcode.Mac) LastMacCycle = Cycle - 1;
        }
    }
}
