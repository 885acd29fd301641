using System.Globalization;
using System.Runtime.InteropServices;

namespace Bit1HW.Model;

/// <summary>
/// Unmanaged memory for a large matrix, 2 MiB aligned and, on Linux, advised for transparent huge
/// pages (madvise MADV_HUGEPAGE; honoured when THP is in "madvise" or "always" mode). A 656 MB
/// lm_head in 4 KiB pages needs 1.3 MB of page-table entries, more than a core's L2, so a stream
/// over it stalls on page walks; in 2 MiB pages it needs 2.6 KB. Arrays under 16 MiB are not
/// advised: they fit the TLB's reach in 4 KiB pages, and a huge page rounds a small array's resident
/// size up (the 13M test model's 1 MB lm_head took a whole 2 MiB page). Freed when collected.
/// <see cref="HugePageBytes"/> says how much of it the kernel did put in huge pages.
/// </summary>
internal sealed unsafe partial class NativeArray
{
    private const int HugePage = 2 << 20;
    private const int MadvHugePage = 14;
    private const long AdviseFrom = 16L << 20;

    public nint Address { get; }
    public long Length { get; }

    public NativeArray(long bytes)
    {
        Length = bytes;
        Address = (nint)NativeMemory.AlignedAlloc((nuint)bytes, HugePage);
        GC.AddMemoryPressure(bytes);
        // Advice only: where it is refused the pages are ordinary ones and nothing else changes.
        if (OperatingSystem.IsLinux() && bytes >= AdviseFrom) _ = Madvise(Address, HugeLength, MadvHugePage);
    }

    /// <summary>The bytes (the array must be shorter than 2 GiB).</summary>
    public Span<byte> Span => new((void*)Address, checked((int)Length));

    private nuint HugeLength => (nuint)((Length + HugePage - 1) / HugePage * HugePage);

    /// <summary>Bytes of this array in transparent huge pages (AnonHugePages of the mappings it lies in, /proc/self/smaps), or null off Linux.</summary>
    public long? HugePageBytes()
    {
        const string smaps = "/proc/self/smaps";
        if (!File.Exists(smaps)) return null;
        ulong lo = (ulong)Address, hi = lo + (ulong)Length;
        long huge = 0;
        bool inside = false;
        foreach (string line in File.ReadLines(smaps))
        {
            int dash = line.IndexOf('-');
            int space = line.IndexOf(' ');
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end))
            {
                inside = start < hi && end > lo;
                continue;
            }
            if (inside && line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
                huge += long.Parse(line["AnonHugePages:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        return Math.Min(huge, Length);
    }

    ~NativeArray()
    {
        NativeMemory.AlignedFree((void*)Address);
        GC.RemoveMemoryPressure(Length);
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
