namespace Bit1HW.Core.Hardware;

/// <summary>
/// The contents of external memory (DRAM, HBM) that a streaming engine reads through its AXI4
/// master (docs/hardware.md, "External memory image"): <see cref="Bytes"/>[i] is the byte at
/// address <see cref="BaseAddress"/> + i. Bytes outside that window are not part of the image (the
/// simulator's memory slave answers them with DECERR). Shared as data by the compiler, which fills
/// it, the simulator's memory slave and the co-simulation harness.
/// </summary>
public sealed class ExternalMemory
{
    public ulong BaseAddress { get; }
    public byte[] Bytes { get; }

    public ExternalMemory(ulong baseAddress, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (baseAddress > ulong.MaxValue - (ulong)bytes.Length)
            throw new ArgumentOutOfRangeException(nameof(baseAddress), baseAddress, "the image would wrap past 2^64");
        BaseAddress = baseAddress;
        Bytes = bytes;
    }

    /// <summary>True when every byte of [address, address + count) is in the image.</summary>
    public bool Holds(ulong address, int count) =>
        address >= BaseAddress && address - BaseAddress <= (ulong)Bytes.Length && (ulong)Bytes.Length - (address - BaseAddress) >= (ulong)count;
}
