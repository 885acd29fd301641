using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bit1HW.Core.IO;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Core.Hardware;

/// <summary>The processing element: the ternary adder tree, or the INT8 multiply-accumulate baseline.</summary>
public enum PeKind { Ternary, Mac }

/// <summary>
/// One accelerator configuration, shared as data by the generator, the compiler, the simulator and
/// the co-simulation (docs/hardware.md, "Micro-architecture contract"). Every derived quantity the
/// three must agree on (widths, latencies, address sizes) is computed here from the spec formulas.
/// </summary>
public sealed record HardwareConfig
{
    /// <summary>Activations (and weights per row) consumed per PE per cycle.</summary>
    public int Lanes { get; init; } = 16;
    /// <summary>Processing elements, i.e. output rows computed in parallel.</summary>
    public int Rows { get; init; } = 4;
    public int ActBits { get; init; } = 8;
    /// <summary>A pipeline register after every PipeEvery adder-tree levels (and always at the PE output).</summary>
    public int PipeEvery { get; init; } = 1;
    public PeKind Pe { get; init; } = PeKind.Ternary;
    public int WeightDepth { get; init; } = 512;
    public int ActDepth { get; init; } = 128;
    public int OutDepth { get; init; } = 128;
    public int InstrDepth { get; init; } = 256;
    /// <summary>
    /// Largest reduction length K a layer may have; sets the accumulator width. When not given it
    /// is derived from the other fields (<see cref="DerivedMaxK"/>), so a config that changes only
    /// lanes or actDepth stays valid; a given value is kept as given.
    /// </summary>
    public int MaxK { get => _maxK ?? DerivedMaxK; init => _maxK = value; }
    private readonly int? _maxK;

    /// <summary>Whether <see cref="MaxK"/> was given (in the JSON, an initializer or a <c>with</c>) rather than derived.</summary>
    [JsonIgnore] public bool MaxKIsGiven => _maxK is not null;

    /// <summary>
    /// The default of <see cref="MaxK"/>: actDepth × lanes (one token's activations fill the
    /// activation buffer, the largest K the buffer admits), lowered if needed to the largest K whose
    /// accumulator fits 32 bits. 2048 for the default configuration.
    /// </summary>
    [JsonIgnore] public int DerivedMaxK
    {
        get
        {
            long k = Math.Clamp((long)ActDepth * Lanes, 1, int.MaxValue);
            if (ActBits is < 2 or > 8) return (int)k;   // Validate reports actBits first
            long lo = 1, hi = k;
            while (lo < hi)
            {
                long mid = lo + (hi - lo + 1) / 2;
                if (Widths.DotProductWidthBits(mid, ActBits, MaxAbsWeight) <= 32) lo = mid;
                else hi = mid - 1;
            }
            return (int)lo;
        }
    }
    /// <summary>The AXI4 weight stream; null (the default) for an engine whose wmem the host fills.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StreamConfig? Stream { get; init; }

    public static HardwareConfig Default { get; } = new();

    /// <summary>Bits per stored weight: the 2-bit ternary code, or INT8 for the MAC baseline.</summary>
    [JsonIgnore] public int WeightBits => Pe == PeKind.Ternary ? 2 : 8;
    [JsonIgnore] public long MaxAbsWeight => Pe == PeKind.Ternary ? 1 : 128;
    [JsonIgnore] public int TreeLevels => Widths.CeilLog2(Lanes);
    /// <summary>PE register stages from the memory-read data to the registered PE output: the lane-term
    /// register plus one after every PipeEvery tree levels and after the last, 1 + ceil(levels / PipeEvery).</summary>
    [JsonIgnore] public int PeLatencyCycles => 1 + (TreeLevels + PipeEvery - 1) / PipeEvery;
    /// <summary>Width of the NOP/MAC repeat counter: the hardware uses the operand modulo 2^RepeatBits,
    /// enough for one MAC to stream either memory end to end.</summary>
    [JsonIgnore] public int RepeatBits => Math.Max(WeightAddrBits, ActAddrBits) + 1;
    /// <summary>Busy cycles before instruction 0 executes (fetch and registered decode).</summary>
    [JsonIgnore] public int FetchCycles => 2;
    /// <summary>Width of one lane term, activation × weight: a, -a or 0 needs actBits + 1 bits; an INT8 product actBits + 8.</summary>
    [JsonIgnore] public int PeTermBits => Widths.DotProductWidthBits(1, ActBits, MaxAbsWeight);
    [JsonIgnore] public int PeOutBits => Widths.DotProductWidthBits(Lanes, ActBits, MaxAbsWeight);
    [JsonIgnore] public int AccBits => Widths.DotProductWidthBits(MaxK, ActBits, MaxAbsWeight);
    [JsonIgnore] public int WeightWordBits => checked(Rows * Lanes * WeightBits);
    [JsonIgnore] public int ActWordBits => checked(Lanes * ActBits);
    [JsonIgnore] public int OutWordBits => checked(Rows * AccBits);
    [JsonIgnore] public int WeightAddrBits => Widths.AddressBits(WeightDepth);
    [JsonIgnore] public int ActAddrBits => Widths.AddressBits(ActDepth);
    [JsonIgnore] public int OutAddrBits => Widths.AddressBits(OutDepth);
    [JsonIgnore] public int InstrAddrBits => Widths.AddressBits(InstrDepth);
    [JsonIgnore] public int RowSelectBits => Widths.AddressBits(Rows);
    [JsonIgnore] public int HostDataBits => Math.Max(32, Math.Max(WeightWordBits, ActWordBits));
    [JsonIgnore] public int HostAddrBits => Math.Max(Math.Max(WeightAddrBits, ActAddrBits), InstrAddrBits);

    /// <summary>True when wmem is a ring buffer filled through the AXI4 weight stream.</summary>
    [JsonIgnore] public bool IsStreaming => Stream is not null;
    /// <summary>Bits of one tile's weights in external memory: WeightWordBits (2bit packing) or 8 · ceil(rows · lanes / 5) (base3).</summary>
    [JsonIgnore] public int StreamWordBits => Stream?.Packing == WeightPacking.Base3 ? checked(8 * ((Rows * Lanes + 4) / 5)) : WeightWordBits;
    /// <summary>Stream words per AXI burst (a whole number for a valid streaming config; 0 without a stream).</summary>
    [JsonIgnore] public int WordsPerBurst => Stream is { } st ? (int)((long)st.BurstBytes * 8 / StreamWordBits) : 0;

    /// <summary>Cycles the engine spends on any 32-bit word (docs/hardware.md, "Instruction set").</summary>
    public long InstructionCycles(uint word) => Isa.Cycles(word, RepeatBits);

    /// <summary>Configuration tag used in module names, e.g. <c>l16_r4_a8_p1_ternary</c>.</summary>
    [JsonIgnore] public string Tag => string.Create(CultureInfo.InvariantCulture,
        $"l{Lanes}_r{Rows}_a{ActBits}_p{PipeEvery}_{(Pe == PeKind.Ternary ? "ternary" : "mac")}{StreamTagSuffix}");

    private string StreamTagSuffix => Stream is not { } st ? ""
        : string.Create(CultureInfo.InvariantCulture, $"_s{st.AxiDataBits}{(st.Packing == WeightPacking.Base3 ? "_b3" : "")}");

    /// <summary>Checks every field; throws <see cref="UserInputException"/> naming the field, its value and the allowed range.</summary>
    public HardwareConfig Validate(string source = "config")
    {
        Range(source, "lanes", Lanes, 1, 4096);
        Range(source, "rows", Rows, 1, 256);
        Range(source, "actBits", ActBits, 2, 8);
        Range(source, "pipeEvery", PipeEvery, 1, 64);
        PowerOfTwo(source, "weightDepth", WeightDepth);
        PowerOfTwo(source, "actDepth", ActDepth);
        PowerOfTwo(source, "outDepth", OutDepth);
        PowerOfTwo(source, "instrDepth", InstrDepth);
        long maxKLimit = (long)ActDepth * Lanes;
        if (MaxK < 1 || MaxK > maxKLimit)
            throw new UserInputException($"{source}: field 'maxK'",
                $"{MaxK} is outside 1..{maxKLimit} (actDepth × lanes: one token's activations must fit the activation buffer){GivenHint}");
        if (AccBits > 32)
            throw new UserInputException($"{source}: field 'maxK'",
                $"{MaxK} needs a {AccBits}-bit accumulator; at most 32 bits are supported (outputs are int32){GivenHint}");
        if (WeightWordBits > 65536)
            throw new UserInputException($"{source}: field 'rows'",
                $"rows × lanes × {WeightBits} = {WeightWordBits} weight bits per word exceeds 65536");
        if (Stream is not null) ValidateStream(source);
        return this;
    }

    /// <summary>The constraints of docs/hardware.md "Weight streaming over AXI", each naming its field.</summary>
    private void ValidateStream(string source)
    {
        StreamConfig st = Stream!;
        string f(string name) => $"{source}: field 'stream.{name}'";
        if (st.AxiDataBits is < 32 or > 1024 || (st.AxiDataBits & (st.AxiDataBits - 1)) != 0)
            throw new UserInputException(f("axiDataBits"), $"{st.AxiDataBits} must be a power of two in 32..1024");
        Range(source, "stream.axiAddrBits", st.AxiAddrBits, 32, 64);
        if (st.BurstBeats is < 1 or > 256 || (st.BurstBeats & (st.BurstBeats - 1)) != 0)
            throw new UserInputException(f("burstBeats"), $"{st.BurstBeats} must be a power of two in 1..256");
        if (st.BurstBytes > 4096)
            throw new UserInputException(f("burstBeats"), $"{st.BurstBeats} beats × {st.AxiDataBits / 8} bytes = {st.BurstBytes} bytes; an AXI burst may not cross 4 KB");
        Range(source, "stream.maxOutstanding", st.MaxOutstanding, 1, 32);
        if (Pe != PeKind.Ternary)
            throw new UserInputException($"{source}: field 'pe'", "a streaming engine takes ternary weights ('pe' must be \"ternary\")");
        int word = StreamWordBits, beat = st.AxiDataBits;
        if (word % beat != 0 && beat % word != 0)
            throw new UserInputException(f("axiDataBits"),
                $"{beat}-bit beats and {word}-bit stream words (rows × lanes = {Rows * Lanes}): one must divide the other");
        if ((long)st.BurstBytes * 8 < word)
            throw new UserInputException(f("burstBeats"), $"a {st.BurstBytes * 8}-bit burst is shorter than one {word}-bit stream word");
        long need = (long)(st.MaxOutstanding + 1) * WordsPerBurst;
        if (WeightDepth < need)
            throw new UserInputException($"{source}: field 'weightDepth'",
                $"{WeightDepth} words cannot hold (maxOutstanding + 1) × {WordsPerBurst} words per burst = {need} (the weight ring)");
    }

    private string GivenHint => MaxKIsGiven ? $"; leave maxK out to derive it ({DerivedMaxK} here)" : "";

    private static void Range(string source, string field, int value, int lo, int hi)
    {
        if (value < lo || value > hi)
            throw new UserInputException($"{source}: field '{field}'", $"{value} is outside {lo}..{hi}");
    }

    private static void PowerOfTwo(string source, string field, int value)
    {
        if (value < 2 || value > (1 << 20) || (value & (value - 1)) != 0)
            throw new UserInputException($"{source}: field '{field}'", $"{value} must be a power of two in 2..{1 << 20}");
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        WriteIndented = true,
    };

    /// <summary>The configuration in <paramref name="path"/>, or <see cref="Default"/> when it is null.</summary>
    public static HardwareConfig LoadOrDefault(string? path) => path is null ? Default : Load(path);

    /// <summary>Reads and validates a configuration file; a bad file or field is a <see cref="UserInputException"/>.</summary>
    public static HardwareConfig Load(string path)
    {
        using JsonDocument doc = StrictJson.ParseFile(path, "hardware config");
        return FromJson(doc.RootElement, path);
    }

    /// <summary>Parses a hardware config (strict JSON: <see cref="StrictJson"/>) and validates it.</summary>
    public static HardwareConfig Parse(string json, string source = "config")
    {
        using JsonDocument doc = StrictJson.Parse(json, source);
        return FromJson(doc.RootElement, source);
    }

    /// <summary>Parses a hardware config from UTF-8 bytes (as embedded in a program image).</summary>
    public static HardwareConfig Parse(byte[] utf8, string source)
    {
        using JsonDocument doc = StrictJson.Parse(utf8, source);
        return FromJson(doc.RootElement, source);
    }

    /// <summary>
    /// A config from an already parsed JSON object. Every field is checked for its name and JSON type
    /// before deserializing, so each problem names its field: unknown fields, non-integers, and a
    /// <c>pe</c> that is not "ternary" or "mac".
    /// </summary>
    public static HardwareConfig FromJson(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new UserInputException(source, $"a hardware config is a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}");
        foreach (JsonProperty p in root.EnumerateObject())
        {
            string subject = $"{source}: field '{p.Name}'";
            if (!Fields.TryGetValue(p.Name, out Type? type))
                throw new UserInputException(subject, $"unknown field (fields: {string.Join(", ", Fields.Keys)})");
            if (type == typeof(int) && (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out _)))
                throw new UserInputException(subject, $"{Quote(p.Value)} is not a 32-bit integer");
            if (type == typeof(PeKind) && (p.Value.ValueKind != JsonValueKind.String || p.Value.GetString() is not ("ternary" or "mac")))
                throw new UserInputException(subject, $"{Quote(p.Value)} is not \"ternary\" or \"mac\"");
            if (type == typeof(StreamConfig)) CheckStreamFields(p.Value, source);
        }
        HardwareConfig? cfg;
        try
        {
            cfg = root.Deserialize<HardwareConfig>(JsonOptions);
        }
        catch (JsonException e)
        {
            throw new UserInputException(source, $"invalid hardware config: {StrictJson.Describe(e)}");
        }
        return (cfg ?? throw new UserInputException(source, "empty hardware config")).Validate(source);
    }

    /// <summary>The nested <c>stream</c> object: an object whose fields are known and typed.</summary>
    private static void CheckStreamFields(JsonElement stream, string source)
    {
        if (stream.ValueKind != JsonValueKind.Object)
            throw new UserInputException($"{source}: field 'stream'", $"{Quote(stream)} is not a JSON object");
        foreach (JsonProperty p in stream.EnumerateObject())
        {
            string subject = $"{source}: field 'stream.{p.Name}'";
            if (!StreamFields.TryGetValue(p.Name, out Type? type))
                throw new UserInputException(subject, $"unknown field (fields: {string.Join(", ", StreamFields.Keys)})");
            if (type == typeof(int) && (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out _)))
                throw new UserInputException(subject, $"{Quote(p.Value)} is not a 32-bit integer");
            if (type == typeof(WeightPacking) && (p.Value.ValueKind != JsonValueKind.String || p.Value.GetString() is not ("2bit" or "base3")))
                throw new UserInputException(subject, $"{Quote(p.Value)} is not \"2bit\" or \"base3\"");
        }
    }

    private static string Quote(JsonElement v)
    {
        string raw = v.GetRawText();
        return raw.Length <= 40 ? raw : raw[..40] + "...";
    }

    /// <summary>The JSON fields of a config (camelCase names) and their types, in declaration order.</summary>
    private static readonly IReadOnlyDictionary<string, Type> Fields = JsonFieldsOf(typeof(HardwareConfig));
    private static readonly IReadOnlyDictionary<string, Type> StreamFields = JsonFieldsOf(typeof(StreamConfig));

    /// <summary>Settable properties that are not always ignored (a null-only ignore still reads), with nullable unwrapped.</summary>
    private static IReadOnlyDictionary<string, Type> JsonFieldsOf(Type t) => t.GetProperties()
        .Where(p => p.CanWrite && p.GetCustomAttributes(typeof(JsonIgnoreAttribute), false)
            .All(a => ((JsonIgnoreAttribute)a).Condition != JsonIgnoreCondition.Always))
        .OrderBy(p => p.MetadataToken)
        .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), p => p.PropertyType, StringComparer.Ordinal);

    /// <summary>Canonical JSON (fixed field order, camelCase, "\n" line ends): byte-stable. A derived maxK is written out.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions).ReplaceLineEndings("\n");

    /// <summary>
    /// Two configurations are equal when they describe the same hardware, field by field as in
    /// <see cref="ToJson"/>: a derived maxK equals the same value given explicitly.
    /// </summary>
    public bool Equals(HardwareConfig? other) =>
        other is not null && (ReferenceEquals(this, other) || string.Equals(ToJson(), other.ToJson(), StringComparison.Ordinal));

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToJson());
}
