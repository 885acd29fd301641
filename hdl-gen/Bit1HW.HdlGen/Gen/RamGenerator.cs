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
/// A streaming engine's wmem (the ring) and amem have a read enable <c>re</c>: in a stall cycle the
/// read register holds the tile read before it (a block RAM's read-enable pin, no extra logic).
/// </summary>
internal static class RamGenerator
{
    public static string ModuleName(HardwareConfig cfg, string mem) => $"bit1hw_{mem}_{cfg.Tag}";

    public static ModuleBuilder Build(HardwareConfig cfg, string mem, int wordBits, int depth, bool readFirst, bool readEnable = false)
    {
        int addrBits = Core.Numerics.Widths.AddressBits(depth);
        var m = new ModuleBuilder(ModuleName(cfg, mem));
        Headers.Add(m, cfg, $"{mem}: {depth} words x {wordBits} bits, synchronous write, registered read, " +
            (readFirst ? "read-first (a read of the word written at the same edge returns the old word)." : "no read-during-write behaviour (no_rw_check)."));
        Ref clk = m.Input("clk", VType.Bit);
        Ref we = m.Input("we", VType.Bit);
        Ref waddr = m.Input("waddr", VType.U(addrBits));
        Ref wdata = m.Input("wdata", VType.U(wordBits));
        Ref? re = readEnable ? m.Input("re", VType.Bit) : null;
        Ref raddr = m.Input("raddr", VType.U(addrBits));
        Ref rdata = m.OutputReg("rdata", VType.U(wordBits));
        WidthParam wordParam = m.WidthParam("WORD_BITS", wordBits);
        WidthParam depthParam = m.WidthParam("DEPTH", depth);
        m.Memory("mem", wordBits, depth, noReadWriteCheck: !readFirst, wordParam, depthParam);
        m.Comment(readFirst ? "Write port and read-first registered read port." : "Write port and registered read port.");
        Stmt read = new MemRead(rdata.Name, "mem", raddr);
        m.Always(clk, If(we, [new MemWrite("mem", waddr, wdata)]), re is null ? read : If(re, [read]));
        return m;
    }
}
