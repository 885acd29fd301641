namespace Bit1HW.Board;

/// <summary>
/// CRC-16/MODBUS on the host side (written independently of the RTL's): polynomial 0x8005 with
/// reflected input and output (0xA001 shifted right), initial value 0xFFFF, no final XOR; the CRC
/// of "123456789" is 0x4B37. Appending a message's CRC, low byte first, makes the CRC of the whole 0.
/// </summary>
public static class Crc16Modbus
{
    public const ushort Initial = 0xFFFF;

    public static ushort Compute(ReadOnlySpan<byte> data, ushort crc = Initial)
    {
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++) crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ 0xA001) : (ushort)(crc >> 1);
        }
        return crc;
    }
}
