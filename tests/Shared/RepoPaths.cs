namespace Bit1HW.Testing;

/// <summary>
/// The checkout the tests run from: the first directory above the test assembly that holds
/// Bit1HW.sln. Goldens, docs and example files are read through it.
/// </summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    /// <summary>A path under the checkout, e.g. <c>RepoPaths.Of("docs", "examples", "bench.json")</c>.</summary>
    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Bit1HW.sln"))) return d.FullName;
        throw new InvalidOperationException("Bit1HW.sln not found above " + AppContext.BaseDirectory);
    }
}
