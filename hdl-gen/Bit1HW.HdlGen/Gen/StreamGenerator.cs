using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// The stream engine of a streaming top (docs/hardware.md, "The stream engine" and "Stalls"): the
/// AXI4 read master that fills the weight ring, and the stall signal. All its state restarts at
/// start. Counters, each updated once per edge:
/// <c>pending</c> (bursts queued by LOAD, not yet issued), <c>credits</c> (maxOutstanding minus the
/// bursts in flight), <c>ring_free</c> (weightDepth minus words received, in flight or reserved and not
/// yet read: room for a burst is ring_free ≥ WordsPerBurst, a test of the bits above log2
/// WordsPerBurst), <c>avail</c> (words received and not yet read), <c>beat_count</c> (beats received,
/// which addresses the ring writes, see <see cref="RingGeometry"/>) and <c>burst_index</c> (the next
/// burst, set by SETS). <c>arvalid</c> is a function of these registers alone, so once raised it
/// holds with a stable address until the handshake (pending stays non-zero, credits and room can only
/// grow). A burst's last beat is counted, not taken from rlast (the protocol checker of co-simulation
/// checks rlast). Stall: a MAC cycle with no word available, or the HALT cycle while bursts are
/// pending or in flight. rresp ≠ OKAY sets the sticky axi_error; the beat is still written.
/// </summary>
internal static class StreamGenerator
{
    public static string ModuleName(HardwareConfig cfg) => $"bit1hw_stream_{cfg.Tag}";

    public static ModuleBuilder Build(HardwareConfig cfg, GeneratorOptions opt)
    {
        var g = new RingGeometry(cfg);
        StreamConfig st = cfg.Stream!;
        var m = new ModuleBuilder(ModuleName(cfg));
        Headers.Add(m, cfg, $"Stream engine: AXI4 read master ({st.BurstBeats}-beat INCR bursts of {st.AxiDataBits} bits, " +
            $"{st.MaxOutstanding} in flight) filling the {cfg.WeightDepth}-word weight ring; the stall signal.");
        Ref clk = m.Input("clk", VType.Bit);
        Ref rst = m.Input("rst", VType.Bit);
        Ref restart = m.Input("restart", VType.Bit);
        Ref sets = m.Input("sets", VType.Bit);
        Ref load = m.Input("load", VType.Bit);
        Ref operand = m.Input("operand", VType.U(Isa.OperandBits));
        Ref macRd = m.Input("mac_rd", VType.Bit);
        Ref haltCycle = m.Input("halt_cycle", VType.Bit);
        Ref weightBase = m.Input("weight_base", VType.U(st.AxiAddrBits));
        Ref arready = m.Input("arready", VType.Bit);
        Ref rdata = m.Input("rdata", VType.U(st.AxiDataBits));
        Ref rresp = m.Input("rresp", VType.U(2));
        Ref rvalid = m.Input("rvalid", VType.Bit);
        Ref stallOut = m.Output("stall", VType.Bit);
        Ref araddr = m.Output("araddr", VType.U(st.AxiAddrBits));
        Ref arvalidOut = m.Output("arvalid", VType.Bit);
        Ref ringWe = m.Output("ring_we", VType.Bit);
        Ref ringWaddr = m.Output("ring_waddr", VType.U(g.LineAddrBits));
        Ref ringWdata = m.Output("ring_wdata", VType.U(g.LineBits));
        Ref axiError = m.OutputReg("axi_error", VType.Bit);

        Regs r = Registers(m, cfg, g);
        var (arHs, pendingNz) = AddressChannel(m, g, st, clk, r, weightBase, arready, araddr, arvalidOut, opt);

        m.Comment("Stall: a MAC cycle with no word in the ring, or HALT while bursts are pending or in flight.");
        Ref inFlight = m.Wire("in_flight", Ne(r.Credits, r.MaxOutstanding));
        Ref traffic = m.Wire("traffic", Or(pendingNz, inFlight));
        Ref starved = m.Wire("starved", EqC(r.Avail, 0));
        Ref stall = opt.Has(GeneratorFaults.StreamStallMissesStarvedMac)
            ? m.Wire("stall_now", And(haltCycle, traffic))
            : m.Wire("stall_now", Or(And(macRd, starved), And(haltCycle, traffic)));
        Ref take = m.Wire("take", And(macRd, Not(stall)));
        m.Drive(stallOut, stall);

        m.Comment("Data channel: rready is always 1; the beat counter's low bits place a beat in its burst and word.");
        Ref lastBeat = g.BeatInBurstBits == 0 ? rvalid
            : m.Wire("burst_last_beat", And(rvalid, EqC(Bits(r.BeatCount, 0, g.BeatInBurstBits), (1L << g.BeatInBurstBits) - 1)));
        Ref wordDone = g.BeatInWordBits == 0 ? rvalid
            : m.Wire("word_done", And(rvalid, EqC(Bits(r.BeatCount, 0, g.BeatInWordBits), (1L << g.BeatInWordBits) - 1)));
        var wordT = VType.U(g.WordCountBits);
        Ref got = m.Wire("words_received", g.WordsPerBeat == 1 ? Ext(wordDone, wordT) : Mux(rvalid, C(g.WordsPerBeat, wordT), C(0, wordT), wordT), r.WordBits);
        RingWrite(m, cfg, g, clk, rdata, rvalid, wordDone, r.BeatCount, ringWe, ringWaddr, ringWdata);
        Counters(m, g, clk, Or(rst, restart), r, new Events(sets, load, operand, arHs, lastBeat, got, take, rvalid, rresp), axiError);
        return m;
    }

    /// <summary>The stream engine's counters, their widths and constants.</summary>
    private sealed record Regs(Ref Pending, Ref Credits, Ref Free, Ref Avail, Ref BeatCount, Ref BurstIndex,
        WidthParam WordBits, WidthParam BeatBits, WidthParam IndexBits, Ref MaxOutstanding, Ref RingWords, Ref WordsPerBurst);

    /// <summary>What changes the counters in a cycle.</summary>
    private sealed record Events(Ref Sets, Ref Load, Ref Operand, Ref ArHandshake, Ref LastBeat, Ref WordsReceived, Ref Take, Ref RValid, Ref RResp);

    private static Regs Registers(ModuleBuilder m, HardwareConfig cfg, RingGeometry g)
    {
        var credT = VType.U(g.CreditBits);
        var wordT = VType.U(g.WordCountBits);
        WidthParam wordBits = m.WidthParam("WORD_COUNT_BITS", g.WordCountBits);
        WidthParam beatBits = m.WidthParam("BEAT_COUNT_BITS", g.BeatCountBits);
        WidthParam idxBits = m.WidthParam("BURST_INDEX_BITS", g.BurstIndexBits);
        Ref maxOut = m.ValueParam("MAX_OUTSTANDING", C(cfg.Stream!.MaxOutstanding, credT));
        Ref ringWords = m.ValueParam("RING_WORDS", C(cfg.WeightDepth, wordT));
        Ref burstWords = m.ValueParam("WORDS_PER_BURST", C(cfg.WordsPerBurst, wordT));
        return new Regs(m.Reg("pending", VType.U(RingGeometry.PendingBits)), m.Reg("credits", credT),
            m.Reg("ring_free", wordT, width: wordBits), m.Reg("avail", wordT, width: wordBits),
            m.Reg("beat_count", VType.U(g.BeatCountBits), width: beatBits), m.Reg("burst_index", VType.U(g.BurstIndexBits), width: idxBits),
            wordBits, beatBits, idxBits, maxOut, ringWords, burstWords);
    }

    /// <summary>The AR channel: arvalid and araddr from the counters (and the test-only faults); returns the handshake and pending ≠ 0.</summary>
    private static (Ref Handshake, Ref PendingNonZero) AddressChannel(ModuleBuilder m, RingGeometry g, StreamConfig st, Ref clk, Regs r, Ref weightBase, Ref arready,
        Ref araddr, Ref arvalidOut, GeneratorOptions opt)
    {
        var idxT = VType.U(g.BurstIndexBits);
        m.Comment("Address channel: the next burst is presented while one is pending, in-flight bursts are fewer than maxOutstanding and the ring has room.");
        Ref pendingNz = m.Wire("pending_nz", Ne(r.Pending, C(0, r.Pending.Type)));
        Ref creditNz = m.Wire("credit_nz", Ne(r.Credits, C(0, r.Credits.Type)));
        Ref room = m.Wire("ring_room", Ne(Bits(r.Free, g.WordsPerBurstBits, g.WordCountBits - g.WordsPerBurstBits),
            C(0, VType.U(g.WordCountBits - g.WordsPerBurstBits))));
        Ref arvalid = m.Wire("ar_valid", And(And(pendingNz, creditNz), room));
        Ref? waited = null;
        if (opt.Has(GeneratorFaults.StreamArvalidNotHeld) || opt.Has(GeneratorFaults.StreamAddressUnstable))
        {
            // Test-only faults: a register that remembers a cycle in which the address waited for ARREADY.
            waited = m.Reg("fault_ar_waited", VType.Bit);
            if (opt.Has(GeneratorFaults.StreamArvalidNotHeld)) arvalid = m.Wire("fault_ar_valid", And(arvalid, Not(waited)));
            m.Always(clk, Set(waited, And(arvalid, Not(arready))));
        }
        Ref arHs = m.Wire("ar_handshake", And(arvalid, arready));
        Expr shownIndex = opt.Has(GeneratorFaults.StreamAddressUnstable)
            ? Mux(waited!, Add(r.BurstIndex, C(1, idxT), idxT), r.BurstIndex, idxT) : r.BurstIndex;
        Ref offset = m.Wire("burst_offset", Cat(shownIndex, C(0, VType.U(g.BurstByteBits))));
        m.Drive(araddr, Add(weightBase, offset, VType.U(st.AxiAddrBits)));
        m.Drive(arvalidOut, arvalid);
        return (arHs, pendingNz);
    }

    /// <summary>Next-state logic and the one clocked block of the counters; all restart with <paramref name="clearCond"/>.</summary>
    private static void Counters(ModuleBuilder m, RingGeometry g, Ref clk, Expr clearCond, Regs r, Events e, Ref axiError)
    {
        var pendT = r.Pending.Type;
        var credT = r.Credits.Type;
        var wordT = VType.U(g.WordCountBits);
        var beatT = VType.U(g.BeatCountBits);
        var idxT = VType.U(g.BurstIndexBits);
        m.Comment("Counters: LOAD queues bursts, a handshake issues one, its last beat retires it; MACs free ring words.");
        Ref loadBursts = m.Wire("load_bursts", Mux(e.Load, e.Operand, C(0, pendT), pendT));
        Ref pendingIssued = m.Wire("pending_issued", Sub(r.Pending, Ext(e.ArHandshake, pendT), pendT));
        Ref pendingNext = m.Wire("pending_next", Add(pendingIssued, loadBursts, pendT));
        Ref creditsBack = m.Wire("credits_back", Add(r.Credits, Ext(e.LastBeat, credT), credT));
        Ref creditsNext = m.Wire("credits_next", Sub(creditsBack, Ext(e.ArHandshake, credT), credT));
        Ref reserve = m.Wire("reserve", Mux(e.ArHandshake, r.WordsPerBurst, C(0, wordT), wordT), r.WordBits);
        Ref freeNext = m.Wire("ring_free_next", Sub(Add(r.Free, Ext(e.Take, wordT), wordT), reserve, wordT), r.WordBits);
        Ref availNext = m.Wire("avail_next", Sub(Add(r.Avail, e.WordsReceived, wordT), Ext(e.Take, wordT), wordT), r.WordBits);
        Ref beatNext = m.Wire("beat_count_next", Mux(e.RValid, Add(r.BeatCount, C(1, beatT), beatT), r.BeatCount, beatT), r.BeatBits);
        Expr setTo = g.BurstIndexBits >= Isa.OperandBits ? Ext(e.Operand, idxT) : Bits(e.Operand, 0, g.BurstIndexBits);
        if (g.BurstIndexBits < Isa.OperandBits) m.Wire("unused_operand_hi", Bits(e.Operand, g.BurstIndexBits, Isa.OperandBits - g.BurstIndexBits));
        Ref indexNext = m.Wire("burst_index_next", Mux(e.Sets, setTo, Mux(e.ArHandshake, Add(r.BurstIndex, C(1, idxT), idxT), r.BurstIndex, idxT), idxT), r.IndexBits);
        Ref bad = m.Wire("bad_beat", And(e.RValid, Ne(e.RResp, C(0, VType.U(2)))));
        Ref clear = m.Wire("stream_restart", clearCond);
        m.Always(clk, If(clear,
            [Set(r.Pending, C(0, pendT)), Set(r.Credits, r.MaxOutstanding), Set(r.Free, r.RingWords), Set(r.Avail, C(0, wordT)),
             Set(r.BeatCount, C(0, beatT)), Set(r.BurstIndex, C(0, idxT)), Set(axiError, Bit(false))],
            [Set(r.Pending, pendingNext), Set(r.Credits, creditsNext), Set(r.Free, freeNext), Set(r.Avail, availNext),
             Set(r.BeatCount, beatNext), Set(r.BurstIndex, indexNext), Set(axiError, Or(axiError, bad))]));
    }

    /// <summary>The ring's write port: a beat's W words at once, or a word assembled from B beats.</summary>
    private static void RingWrite(ModuleBuilder m, HardwareConfig cfg, RingGeometry g, Ref clk, Ref rdata, Ref rvalid, Ref wordDone,
        Ref beatCount, Ref ringWe, Ref ringWaddr, Ref ringWdata)
    {
        int beatBits = cfg.Stream!.AxiDataBits;
        m.Comment(g.BeatsPerWord == 1
            ? $"Ring write: each beat carries {g.WordsPerBeat} stream {(g.WordsPerBeat == 1 ? "word" : "words")}, written as one line at the line the beat counter names."
            : $"Ring write: a stream word spans {g.BeatsPerWord} beats; the earlier ones wait in beat_buf, the last writes the word.");
        Expr streamLine = rdata;
        if (g.BeatsPerWord > 1)
        {
            int bufBits = (g.BeatsPerWord - 1) * beatBits;
            Ref buf = m.Reg("beat_buf", VType.U(bufBits));
            Expr shifted = g.BeatsPerWord == 2 ? rdata : Cat(rdata, Bits(buf, beatBits, bufBits - beatBits));
            m.Always(clk, If(rvalid, [Set(buf, shifted)]));
            streamLine = m.Wire("stream_word", Cat(rdata, buf));
        }
        Expr line = cfg.Stream.Packing == WeightPacking.Base3 ? Base3Decoder.DecodeLine(m, cfg, g, streamLine) : streamLine;
        m.Drive(ringWe, wordDone);
        m.Drive(ringWaddr, Bits(beatCount, g.BeatInWordBits, g.LineAddrBits));
        m.Drive(ringWdata, line);
    }
}
