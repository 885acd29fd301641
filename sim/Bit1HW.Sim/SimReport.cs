using System.Globalization;
using System.Text;
using System.Text.Json;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim;

/// <summary>The <c>--report</c> JSON of <c>bit1hw sim</c>; shape and counter definitions in docs/hardware.md, "Simulator report".</summary>
public static class SimReport
{
    public static string ToJson(HardwareConfig config, SimResult r)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            w.WriteStartObject();
            w.WritePropertyName("config");
            using (JsonDocument doc = JsonDocument.Parse(config.ToJson())) doc.WriteTo(w);
            w.WriteStartObject("workload");
            w.WriteNumber("tokens", r.Workload.Tokens);
            w.WriteNumber("outFeatures", r.Workload.OutFeatures);
            w.WriteNumber("inFeatures", r.Workload.InFeatures);
            w.WriteEndObject();
            w.WriteNumber("cycles", r.Cycles);
            w.WriteNumber("predictedCycles", r.PredictedCycles);
            WriteActivity(w, r.Activity);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static void WriteActivity(Utf8JsonWriter w, ActivityCounters a)
    {
        w.WriteStartObject("activity");
        w.WriteNumber("cycles", a.Cycles);
        w.WriteNumber("predictedCycles", a.PredictedCycles);
        w.WriteNumber("instructionsIssued", a.InstructionsIssued);
        w.WriteNumber("macTiles", a.MacTiles);
        w.WriteNumber("termsTotal", a.TermsTotal);
        w.WriteNumber("termsZeroWeight", a.TermsZeroWeight);
        WriteByWidth(w, "additionsByWidthBits", a.AdditionsByWidthBits());
        WriteByWidth(w, "multipliesByWidthBits", a.MultipliesByWidthBits());
        var rd = a.SramReadBits;
        WriteMemories(w, "sramReadBits", rd.Weight, rd.Activation, rd.Instruction, rd.Output);
        var wr = a.SramWriteBits;
        WriteMemories(w, "sramWriteBits", wr.Weight, wr.Activation, wr.Instruction, wr.Output);
        w.WriteNumber("registerBitsWritten", a.RegisterBitsWritten);
        w.WriteEndObject();
    }

    private static void WriteByWidth(Utf8JsonWriter w, string name, SortedDictionary<int, long> counts)
    {
        w.WriteStartObject(name);
        foreach (var (width, count) in counts) w.WriteNumber(width.ToString(CultureInfo.InvariantCulture), count);
        w.WriteEndObject();
    }

    private static void WriteMemories(Utf8JsonWriter w, string name, long weight, long activation, long instruction, long output)
    {
        w.WriteStartObject(name);
        w.WriteNumber("weight", weight);
        w.WriteNumber("activation", activation);
        w.WriteNumber("instruction", instruction);
        w.WriteNumber("output", output);
        w.WriteEndObject();
    }
}
