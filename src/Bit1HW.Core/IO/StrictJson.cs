using System.Globalization;
using System.Text.Json;

namespace Bit1HW.Core.IO;

/// <summary>
/// The one JSON reader for every JSON input (hardware configs, model configs, technology-node
/// tables, simulator reports, safetensors headers): RFC 8259 JSON and nothing more. Rejected, each
/// with a <see cref="UserInputException"/> naming the source and where: bytes that are not UTF-8;
/// comments and trailing commas (a commented-out line is not silently dropped); a key that appears
/// twice in one object at any depth (otherwise the last one would win unnoticed, e.g. a repeated
/// "shape"); strings with a lone surrogate escape (\ud800), which no .NET string can hold; numbers
/// that do not fit a double (1e999); nesting deeper than 64.
/// </summary>
public static class StrictJson
{
    private const int MaxDepth = 64;

    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = MaxDepth,
    };

    /// <summary>
    /// Parses UTF-8 JSON; the caller disposes the document. <paramref name="subjectOf"/> names a
    /// place in the document for messages, from its path segments (object keys, and "[i]" for array
    /// items); by default "field 'a.b[2].c'".
    /// </summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, string source, Func<IReadOnlyList<string>, string>? subjectOf = null)
    {
        int bad = InputFile.FirstInvalidUtf8(utf8.Span);
        if (bad >= 0)
            throw new UserInputException(source, string.Create(CultureInfo.InvariantCulture,
                $"byte offset {bad}: byte 0x{utf8.Span[bad]:x2} is not valid UTF-8 (JSON text must be UTF-8)"));
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, Options);
        }
        catch (JsonException e)
        {
            throw new UserInputException(source, $"not valid JSON: {Describe(e)}");
        }
        try
        {
            new Checker(source, subjectOf ?? FieldSubject).Check(doc.RootElement, []);
        }
        catch
        {
            doc.Dispose();
            throw;
        }
        return doc;
    }

    /// <summary>Parses JSON text (already decoded); the caller disposes the document.</summary>
    public static JsonDocument Parse(string text, string source) => Parse(System.Text.Encoding.UTF8.GetBytes(text), source);

    /// <summary>Reads and parses a JSON file of at most <see cref="InputFile.MaxJsonBytes"/>.</summary>
    public static JsonDocument ParseFile(string path, string what) =>
        Parse(InputFile.ReadBytes(path, InputFile.MaxJsonBytes, what), path);

    /// <summary>
    /// A <see cref="JsonException"/> as "line L, column C: what", without the serializer's
    /// "Path: … | LineNumber: … | BytePositionInLine: …" tail, and never cut inside a type name.
    /// </summary>
    public static string Describe(JsonException e)
    {
        string m = e.Message;
        foreach (string tail in (string[])[" Path: ", " LineNumber: ", " | "])
        {
            int cut = m.IndexOf(tail, StringComparison.Ordinal);
            if (cut >= 0) m = m[..cut];
        }
        m = m.Trim().TrimEnd('.');
        return e.LineNumber is long line
            ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {m}")
            : m;
    }

    /// <summary>"field 'a.b[2].c'" (or "top level") from path segments.</summary>
    public static string FieldSubject(IReadOnlyList<string> path) => path.Count == 0 ? "top level" : $"field '{PathText(path)}'";

    public static string PathText(IEnumerable<string> path)
    {
        var sb = new System.Text.StringBuilder();
        foreach (string seg in path)
        {
            if (sb.Length > 0 && !seg.StartsWith('[')) sb.Append('.');
            sb.Append(seg);
        }
        return sb.ToString();
    }

    private sealed class Checker(string source, Func<IReadOnlyList<string>, string> subjectOf)
    {
        private UserInputException Error(IReadOnlyList<string> path, string problem) => new($"{source}: {subjectOf(path)}", problem);

        public void Check(JsonElement e, string[] path)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (JsonProperty p in e.EnumerateObject())
                    {
                        string name = Text(() => p.Name, path);
                        string[] at = [.. path, name];
                        if (!seen.Add(name)) throw Error(at, "appears twice in one object (a repeated key)");
                        Check(p.Value, at);
                    }
                    break;
                case JsonValueKind.Array:
                    int i = 0;
                    foreach (JsonElement item in e.EnumerateArray())
                        Check(item, [.. path, string.Create(CultureInfo.InvariantCulture, $"[{i++}]")]);
                    break;
                case JsonValueKind.String:
                    Text(() => e.GetString()!, path);
                    break;
                case JsonValueKind.Number:
                    if (!e.TryGetDouble(out double d) || !double.IsFinite(d))
                        throw Error(path, $"number {e.GetRawText()} does not fit a double");
                    break;
            }
        }

        private string Text(Func<string> get, string[] path)
        {
            try
            {
                return get();
            }
            catch (InvalidOperationException)
            {
                throw Error(path, "holds a string that is not valid Unicode (a lone surrogate escape such as \\ud800)");
            }
        }
    }
}
