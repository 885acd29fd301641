using System.Text.Json;

namespace Bit1HW.Core.IO;

/// <summary>
/// Reads required and optional fields from a parsed JSON object and turns every missing, mistyped or
/// out-of-range value into a <see cref="UserInputException"/> naming the file and the field path
/// (for example <c>7nm.json: field 'arithmetic[2].picojoules'</c>).
/// </summary>
public readonly struct JsonFields(JsonElement obj, string source, string path)
{
    public JsonElement Element => obj;

    /// <summary>Counts above 2^53 are rejected: the energy model multiplies them as doubles, which hold integers exactly only up to there.</summary>
    public const long MaxCount = 1L << 53;

    /// <summary>Parses strict JSON (<see cref="StrictJson"/>: no comments, no repeated keys) whose top level is an object.</summary>
    public static JsonFields Root(string json, string source) => Root(StrictJson.Parse(json, source), source);

    /// <summary>Reads and parses a JSON file (at most <see cref="InputFile.MaxJsonBytes"/>).</summary>
    public static JsonFields File(string path, string what) => Root(StrictJson.ParseFile(path, what), path);

    private static JsonFields Root(JsonDocument doc, string source)
    {
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw new UserInputException(source, "expected a JSON object at the top level");
        return new JsonFields(doc.RootElement, source, "");
    }

    public string FieldName(string name) => path.Length == 0 ? name : $"{path}.{name}";

    public string Subject(string name) => $"{source}: field '{FieldName(name)}'";

    public UserInputException Error(string name, string problem) => new(Subject(name), problem);

    public bool Has(string name) => obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    private JsonElement Get(string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : throw Error(name, "is missing");

    public string RequireString(string name)
    {
        JsonElement v = Get(name);
        if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
            throw Error(name, "must be a non-empty string");
        return v.GetString()!;
    }

    public string? OptionalString(string name) => Has(name) ? RequireString(name) : null;

    public double RequirePositive(string name, double max = double.MaxValue)
    {
        JsonElement v = Get(name);
        if (v.ValueKind != JsonValueKind.Number) throw Error(name, $"must be a number, got {v.ValueKind.ToString().ToLowerInvariant()}");
        double d = v.GetDouble();
        if (!double.IsFinite(d) || d <= 0) throw Error(name, $"{v.GetRawText()} must be a positive number");
        if (d > max) throw Error(name, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{v.GetRawText()} must be at most {max}"));
        return d;
    }

    public long RequireCount(string name, long min = 0, long max = MaxCount)
    {
        JsonElement v = Get(name);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n))
            throw Error(name, $"must be an integer, got {v.GetRawText()}");
        if (n < min) throw Error(name, $"{n} must be at least {min}");
        if (n > max) throw Error(name, $"{n} is larger than {max}");
        return n;
    }

    public long OptionalCount(string name, long fallback, long min = 0) => Has(name) ? RequireCount(name, min) : fallback;

    public bool OptionalBool(string name, bool fallback)
    {
        if (!Has(name)) return fallback;
        JsonElement v = Get(name);
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(name, $"must be true or false, got {v.GetRawText()}"),
        };
    }

    public JsonFields RequireObject(string name)
    {
        JsonElement v = Get(name);
        if (v.ValueKind != JsonValueKind.Object) throw Error(name, "must be a JSON object");
        return new JsonFields(v, source, FieldName(name));
    }

    public JsonFields? OptionalObject(string name) => Has(name) ? RequireObject(name) : null;

    public IReadOnlyList<JsonFields> RequireObjectArray(string name)
    {
        JsonElement v = Get(name);
        if (v.ValueKind != JsonValueKind.Array) throw Error(name, "must be a JSON array");
        var list = new List<JsonFields>();
        int i = 0;
        foreach (JsonElement e in v.EnumerateArray())
        {
            string p = $"{FieldName(name)}[{i++}]";
            if (e.ValueKind != JsonValueKind.Object) throw new UserInputException($"{source}: field '{p}'", "must be a JSON object");
            list.Add(new JsonFields(e, source, p));
        }
        return list;
    }

    /// <summary>An object whose keys are bit widths ("9", "10", ...) and values non-negative counts, in ascending width.</summary>
    public SortedDictionary<int, long> OptionalWidthCounts(string name)
    {
        var result = new SortedDictionary<int, long>();
        if (!Has(name)) return result;
        JsonFields o = RequireObject(name);
        foreach (JsonProperty p in o.Element.EnumerateObject())
        {
            if (!int.TryParse(p.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int bits) || bits < 1 || bits > 128)
                throw o.Error(p.Name, "key must be a bit width 1..128");
            result[bits] = o.RequireCount(p.Name);
        }
        return result;
    }
}
