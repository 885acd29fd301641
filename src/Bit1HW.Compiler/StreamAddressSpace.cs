using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Compiler;

/// <summary>Where a stream lives in external memory: its first burst (a SETS operand, in bursts from weight_base) and its length.</summary>
public readonly record struct StreamPlacement(long FirstBurst, long Bursts);

/// <summary>
/// Lays streams out one after another in one external address space from byte address
/// <see cref="BaseAddress"/> (the top's <c>weight_base</c>), each starting on a burst boundary, as a
/// model's projections are placed in DRAM. Sizes only: the bytes are written by whoever holds them
/// (<see cref="WeightStream.Build"/>). Everything must stay addressable: the last byte below
/// 2^axiAddrBits, and every first burst plus its length within the 28-bit SETS/LOAD operands.
/// A stream that does not fit is a one-line <see cref="UserInputException"/> naming it.
/// </summary>
public sealed class StreamAddressSpace
{
    private readonly HardwareConfig _config;
    private readonly List<(string Name, StreamPlacement Place)> _streams = [];

    public StreamAddressSpace(HardwareConfig config, ulong baseAddress = 0)
    {
        _config = config.Validate();
        if (!config.IsStreaming) throw new ArgumentException("a host-fed config has no external weight memory", nameof(config));
        if (baseAddress % (ulong)config.Stream!.BurstBytes != 0)
            throw new UserInputException("weight base", $"0x{baseAddress:x} is not a multiple of the {config.Stream.BurstBytes}-byte burst");
        BaseAddress = baseAddress;
    }

    public ulong BaseAddress { get; }
    /// <summary>Bursts laid out so far.</summary>
    public long Bursts { get; private set; }
    public long Bytes => Bursts * _config.Stream!.BurstBytes;
    public IReadOnlyList<(string Name, StreamPlacement Place)> Streams => _streams;

    /// <summary>Reserves <paramref name="bursts"/> whole bursts for the stream <paramref name="name"/> after the ones before it.</summary>
    public StreamPlacement Add(string name, long bursts)
    {
        if (bursts < 1) throw new ArgumentOutOfRangeException(nameof(bursts), bursts, ">= 1");
        var place = new StreamPlacement(Bursts, bursts);
        long end = Bursts + bursts;
        int burstBytes = _config.Stream!.BurstBytes, addrBits = _config.Stream.AxiAddrBits;
        var inv = CultureInfo.InvariantCulture;
        if (end > Isa.MaxOperand)
            throw new UserInputException(name, string.Create(inv,
                $"the weight streams need {end} bursts of {burstBytes} bytes, more than the 2^28 - 1 a SETS/LOAD operand addresses; raise stream.burstBeats or stream.axiDataBits"));
        decimal lastByte = BaseAddress + (decimal)end * burstBytes;
        if (lastByte > (decimal)Math.Pow(2, addrBits))
            throw new UserInputException(name, string.Create(inv,
                $"the weight streams end at byte {lastByte}, beyond the {addrBits}-bit AXI address space (raise stream.axiAddrBits)"));
        _streams.Add((name, place));
        Bursts = end;
        return place;
    }
}
