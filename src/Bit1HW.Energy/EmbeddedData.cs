namespace Bit1HW.Energy;

/// <summary>The data files compiled into this assembly (technology nodes, model shapes).</summary>
internal static class EmbeddedData
{
    public static string Read(string logicalName)
    {
        using Stream s = typeof(EmbeddedData).Assembly.GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"embedded resource '{logicalName}' is missing from the build");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    /// <summary>Names under a folder, e.g. <c>models/</c>, without folder and extension, in ordinal order.</summary>
    public static IReadOnlyList<string> List(string folder) =>
        typeof(EmbeddedData).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(folder, StringComparison.Ordinal))
            .Select(n => Path.GetFileNameWithoutExtension(n[folder.Length..]))
            .Order(StringComparer.Ordinal).ToList();
}
