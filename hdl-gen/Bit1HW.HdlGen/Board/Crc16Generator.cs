using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Board;

/// <summary>
/// <c>bit1hw_crc16_modbus</c>: one byte of CRC-16/MODBUS (polynomial x^16 + x^15 + x^2 + 1, bits
/// processed least significant first, so the register shifts right and the reflected polynomial
/// 0xA001 is folded in; initial value 0xFFFF, no final inversion), combinational, as the textbook
/// bit loop unrolled over the eight data bits: feedback = crc[0] ^ data[k]; crc = (crc &gt;&gt; 1) ^
/// (feedback ? 0xA001 : 0). Running it over a message followed by its CRC (low byte first) leaves 0.
/// </summary>
internal static class Crc16Generator
{
    public const string ModuleName = "bit1hw_crc16_modbus";
    public const int ReflectedPolynomial = 0xA001;

    public static ModuleBuilder Build(UartLink link)
    {
        var m = new ModuleBuilder(ModuleName);
        BoardHeaders.Add(m, link, "CRC-16/MODBUS of one byte: crc_out = crc16(crc_in, data), reflected polynomial 0xA001.");
        var crcT = VType.U(16);
        Ref crcIn = m.Input("crc_in", crcT);
        Ref data = m.Input("data", VType.U(8));
        Ref crcOut = m.Output("crc_out", crcT);
        Ref poly = m.ValueParam("POLY_REFLECTED", C(ReflectedPolynomial, crcT));
        Expr crc = crcIn;
        for (int k = 0; k < 8; k++)
        {
            m.Comment($"Data bit {k}.");
            Ref feedback = m.Wire($"feedback_{k}", Xor(Bits(crc, 0, 1), Bits(data, k, 1)));
            Ref shifted = m.Wire($"shifted_{k}", Cat(Bit(false), Bits(crc, 1, 15)));
            crc = m.Wire($"crc_after_bit_{k}", Mux(feedback, Xor(shifted, poly), shifted));
        }
        m.Drive(crcOut, crc);
        return m;
    }
}
