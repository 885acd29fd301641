using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// A simple dual-port synchronous RAM (one write port, one read port, one clock) in the form
/// yosys infers as block RAM (SB_RAM40_4K on iCE40, RAMB18/36 on 7-series): the write and the
/// registered read share one always block, and the read data register has no reset or enable.
/// A read of address a presented in cycle c yields data in cycle c + 1.
/// Read during write (docs/hardware.md, "Read during write"): imem, wmem and amem are never read
/// and written at the same word in one cycle, so they carry yosys's <c>no_rw_check</c> attribute
/// and synthesis adds no bypass logic (on iCE40 it would otherwise emulate read-first with a
/// comparator and a multiplexer per data bit after the block RAM). omem is read by the host while
/// OUT writes it, so it stays read-first (the Verilog semantics of the non-blocking read).
/// With SPRAM (<see cref="MemoryPlan"/>, ice40-up5k only), the word's low bits are held in
/// SB_SPRAM256KA instances, 16 bits each, and the rest in the inferred RAM. An SPRAM has one
/// address for reads and writes; the module keeps its two ports and gives the SPRAMs the write
/// address while <c>we</c> is high and the read address otherwise. That is exact under the
/// contract: the host writes only while the engine is idle, and the engine's reads matter only
/// while it is busy. The SPRAM's output register gives the same one-cycle registered read
/// (its data after a write cycle is undefined, as a read at the written word's edge is here).
/// A streaming engine's wmem (the ring) and amem have a read enable <c>re</c>: in a stall cycle the
/// read register holds the tile read before it (a block RAM's read-enable pin, no extra logic).
/// </summary>
internal static class RamGenerator
{
    public static string ModuleName(HardwareConfig cfg, string mem) => $"bit1hw_{mem}_{cfg.Tag}";

    public static ModuleBuilder Build(HardwareConfig cfg, MemoryPlacement p, bool readFirst, GeneratorOptions opt, bool readEnable = false)
    {
        if (readFirst && p.Sprams > 0) throw new InvalidOperationException($"{p.Memory}: a read-first memory cannot use a one-port SPRAM");
        int addrBits = Core.Numerics.Widths.AddressBits(p.Words);
        var m = new ModuleBuilder(ModuleName(cfg, p.Memory));
        string where = p.Sprams == 0 ? "" : $" Bits [{p.SpramBits - 1}:0] in {p.Sprams} SB_SPRAM256KA (16 bits each)" +
            (p.BlockRamBits > 0 ? $", bits [{p.WordBits - 1}:{p.SpramBits}] in block RAM." : ".");
        Headers.Add(m, cfg, $"{p.Memory}: {p.Words} words x {p.WordBits} bits, synchronous write, registered read, " +
            (readFirst ? "read-first (a read of the word written at the same edge returns the old word)." : "no read-during-write behaviour (no_rw_check).") + where);
        Ref clk = m.Input("clk", VType.Bit);
        Ref we = m.Input("we", VType.Bit);
        Ref waddr = m.Input("waddr", VType.U(addrBits));
        Ref wdata = m.Input("wdata", VType.U(p.WordBits));
        Ref? re = readEnable ? m.Input("re", VType.Bit) : null;
        Ref raddr = m.Input("raddr", VType.U(addrBits));
        if (p.Sprams == 0)
        {
            Ref rdataReg = m.OutputReg("rdata", VType.U(p.WordBits));
            BlockRam(m, p, readFirst, clk, we, waddr, wdata, raddr, rdataReg, re);
            return m;
        }
        if (re is not null) throw new InvalidOperationException($"{p.Memory}: a streaming memory with a read enable is not placed in SPRAM");
        Ref rdata = m.Output("rdata", VType.U(p.WordBits));
        var parts = new List<Expr>();
        if (p.BlockRamBits > 0)
        {
            Ref high = m.Reg("bram_rdata", VType.U(p.BlockRamBits));
            BlockRam(m, p, readFirst, clk, we, waddr, Bits(wdata, p.SpramBits, p.BlockRamBits), raddr, high, null);
            parts.Add(high);
        }
        parts.AddRange(Sprams(m, p, clk, we, waddr, wdata, opt.Has(GeneratorFaults.SpramWriteAddressOnly) ? waddr : raddr));
        m.Comment(p.BlockRamBits > 0 ? "Read data: the block RAM's bits above the SPRAMs'." : "Read data: the SPRAMs side by side.");
        m.Drive(rdata, parts.Count == 1 ? parts[0] : Cat([.. parts]));
        return m;
    }

    private static void BlockRam(ModuleBuilder m, MemoryPlacement p, bool readFirst, Ref clk, Ref we, Expr waddr, Expr wdata, Expr raddr, Ref rdata, Ref? re)
    {
        int bits = p.BlockRamBits;
        WidthParam wordParam = m.WidthParam(p.Sprams == 0 ? "WORD_BITS" : "BRAM_BITS", bits);
        WidthParam depthParam = m.WidthParam("DEPTH", p.Words);
        m.Memory("mem", bits, p.Words, noReadWriteCheck: !readFirst, wordParam, depthParam);
        m.Comment(readFirst ? "Write port and read-first registered read port." : "Write port and registered read port.");
        Stmt read = new MemRead(rdata.Name, "mem", raddr);
        m.Always(clk, If(we, [new MemWrite("mem", waddr, wdata)]), re is null ? read : If(re, [read]));
    }

    /// <summary>The SPRAM slices, lowest first; returns their read data, highest slice first (for a concatenation).
    /// (The planted fault passes the write address as <paramref name="raddr"/>; the multiplexer then has two identical arms, so it is left out.)</summary>
    private static List<Expr> Sprams(ModuleBuilder m, MemoryPlacement p, Ref clk, Ref we, Ref waddr, Ref wdata, Ref raddr)
    {
        var sprT = VType.U(MemoryPlan.SpramWordBits);
        m.Comment("One SPRAM port: the host's write address while it writes (engine idle), else the engine's read address.");
        Ref portAddr = raddr == waddr ? waddr : m.Wire("port_addr", Mux(we, waddr, raddr));
        Ref spramAddr = m.Wire("spram_addr", Ext(portAddr, VType.U(14)));
        var slices = new List<Expr>();
        for (int s = 0; s < p.Sprams; s++)
        {
            int lo = s * MemoryPlan.SpramWordBits, bits = Math.Min(MemoryPlan.SpramWordBits, p.SpramBits - lo);
            m.Comment($"SPRAM {s}: word bits [{lo + bits - 1}:{lo}].");
            Ref din = m.Wire($"spram_wdata_{s}", Ext(Bits(wdata, lo, bits), sprT));
            Ref dout = m.Net($"spram_rdata_{s}", sprT);
            m.Instantiate(CellModels.Spram, $"spram_{s}",
                Pin("ADDRESS", spramAddr), Pin("DATAIN", din), Pin("MASKWREN", C(0xF, VType.U(4))), Pin("WREN", we),
                Pin("CHIPSELECT", Bit(true)), Pin("CLOCK", clk), Pin("STANDBY", Bit(false)), Pin("SLEEP", Bit(false)),
                Pin("POWEROFF", Bit(true)), Pin("DATAOUT", dout));
            if (bits < MemoryPlan.SpramWordBits)
                m.Wire($"unused_spram_rdata_{s}_hi", Bits(dout, bits, MemoryPlan.SpramWordBits - bits));
            slices.Add(bits == MemoryPlan.SpramWordBits ? dout : m.Wire($"spram_bits_{s}", Bits(dout, 0, bits)));
        }
        slices.Reverse();
        return slices;
    }
}
