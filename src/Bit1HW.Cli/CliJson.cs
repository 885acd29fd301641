using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bit1HW.Cli;

/// <summary>
/// The --json output of every command: one JSON document on stdout, camelCase keys, enums as
/// camelCase strings, indented, "\n" line ends, ending with a newline. Commands pass records or
/// anonymous objects whose member order is the key order; a document a library already writes
/// (a config, a simulator report) is embedded as a <see cref="JsonElement"/> via <see cref="Embed"/>.
/// </summary>
internal static class CliJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(object value) => JsonSerializer.Serialize(value, Options).ReplaceLineEndings("\n") + "\n";

    public static void Write(TextWriter o, object value) => o.Write(Serialize(value));

    /// <summary>A JSON text as a value to nest in a larger document.</summary>
    public static JsonElement Embed(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
