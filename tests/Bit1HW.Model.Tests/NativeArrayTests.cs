using System.Globalization;

namespace Bit1HW.Model.Tests;

public class NativeArrayTests
{
    [Fact]
    public void Huge_page_bytes_counts_only_this_arrays_mappings_and_never_more_than_the_process_has()
    {
        if (!OperatingSystem.IsLinux()) return; // /proc/self/smaps is Linux's; elsewhere the count is null by contract
        var a = new NativeArray(16L << 20);
        a.Span.Fill(1); // fault every page in
        long? huge = a.HugePageBytes();
        Assert.NotNull(huge);
        Assert.InRange(huge!.Value, 0, a.Length);
        Assert.Equal(0, huge.Value % (2 << 20)); // whole 2 MiB pages or none
        // The process-wide figure, read independently from smaps_rollup, bounds this array's.
        long total = File.ReadLines("/proc/self/smaps_rollup").Where(l => l.StartsWith("AnonHugePages:", StringComparison.Ordinal))
            .Select(l => long.Parse(l["AnonHugePages:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024).Sum();
        Assert.True(huge <= total, $"array {huge} B in huge pages, process {total} B");
        GC.KeepAlive(a);
    }
}
