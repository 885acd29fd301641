using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// A simple dual-port synchronous RAM (one write port, one read port, one clock) in the form
/// yosys infers as block RAM (SB_RAM40_4K on iCE40, RAMB18/36 on 7-series): the write and the
/// registered read share one always block, and the read data register has no reset or enable.
/// A read of address a presented in cycle c yields data in cycle c + 1.
/// </summary>
internal static class RamGenerator
{
    public static string ModuleName(HardwareConfig cfg, string mem) => $"bit1hw_{mem}_{cfg.Tag}";

    public static ModuleBuilder Build(HardwareConfig cfg, string mem, int wordBits, int depth)
    {
        int addrBits = Core.Numerics.Widths.AddressBits(depth);
        var m = new ModuleBuilder(ModuleName(cfg, mem));
        Headers.Add(m, cfg, $"{mem}: {depth} words x {wordBits} bits, synchronous write, registered read.");
        Ref clk = m.Input("clk", VType.Bit);
        Ref we = m.Input("we", VType.Bit);
        Ref waddr = m.Input("waddr", VType.U(addrBits));
        Ref wdata = m.Input("wdata", VType.U(wordBits));
        Ref raddr = m.Input("raddr", VType.U(addrBits));
        Ref rdata = m.OutputReg("rdata", VType.U(wordBits));
        m.Memory("mem", wordBits, depth);
        m.Always(clk, If(we, [new MemWrite("mem", waddr, wdata)]), new MemRead(rdata.Name, "mem", raddr));
        return m;
    }
}
