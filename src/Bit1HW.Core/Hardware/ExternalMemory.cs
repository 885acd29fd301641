namespace Bit1HW.Core.Hardware;

/// <summary>
/// The external memory (DRAM, HBM) a streaming program reads its weights from (docs/hardware.md,
/// "External memory image"): <see cref="Bytes"/> are the contents from byte address
/// <see cref="BaseAddress"/> on, which is the top's <c>weight_base</c>, so stream burst a of a program
/// (<c>SETS a</c>) starts at byte offset a · BurstBytes of <see cref="Bytes"/>. Filled by
/// Bit1HW.Compiler's stream layout; read by the simulator's and the co-simulation's memory slave.
/// Bytes beyond the array read as zero.
/// </summary>
public sealed class ExternalMemory
{
    public ExternalMemory(ulong baseAddress, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        BaseAddress = baseAddress;
        Bytes = bytes;
    }

    /// <summary>Byte address of <c>Bytes[0]</c>: the <c>weight_base</c> a host sets for the programs that read this memory.</summary>
    public ulong BaseAddress { get; }
    public byte[] Bytes { get; }

    /// <summary>Copies the bytes at <paramref name="address"/> (an absolute byte address) into <paramref name="destination"/>; zero outside the image.</summary>
    public void Read(ulong address, Span<byte> destination)
    {
        destination.Clear();
        if (address < BaseAddress) return;
        ulong offset = address - BaseAddress;
        if (offset >= (ulong)Bytes.Length) return;
        int n = (int)Math.Min((ulong)destination.Length, (ulong)Bytes.Length - offset);
        Bytes.AsSpan((int)offset, n).CopyTo(destination);
    }
}
