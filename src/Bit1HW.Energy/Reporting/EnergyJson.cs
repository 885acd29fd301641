using System.Text;
using System.Text.Json;
using Bit1HW.Energy.Analytic;
using Bit1HW.Energy.Simulation;

namespace Bit1HW.Energy.Reporting;

/// <summary>Machine-readable reports (<c>--json</c>): all energies in picojoules, fields in a fixed order.</summary>
public static class EnergyJson
{
    public static string Analytic(IReadOnlyList<AnalyticResult> results) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("model", "analytic");
        w.WriteString("accounting", "default");
        w.WriteStartArray("perMacRatio");
        foreach (var n in results.Select(r => r.Node).DistinctBy(n => n.Name))
        {
            w.WriteStartObject();
            w.WriteString("node", n.Name);
            w.WriteNumber("fp16MacOverInt8Add", AnalyticEnergyModel.PerMacRatio(n));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("results");
        foreach (var r in results) WriteResult(w, r);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void WriteResult(Utf8JsonWriter w, AnalyticResult r)
    {
        w.WriteStartObject();
        w.WriteString("model", r.Model.Id);
        w.WriteString("label", r.Model.Label);
        w.WriteString("node", r.Node.Name);
        w.WriteNumber("linearWeights", r.Model.LinearWeights);
        w.WriteNumber("totalWeights", r.Model.TotalWeights);
        w.WriteNumber("sequenceTokens", r.SequenceTokens);
        w.WriteNumber("averageContext", r.AverageContext);
        w.WriteBoolean("lmHeadIncluded", r.IncludesLmHead);
        w.WriteNumber("bitnetPicojoulesPerToken", r.BitNetPicojoulesPerToken);
        w.WriteNumber("fp16PicojoulesPerToken", r.Fp16PicojoulesPerToken);
        w.WriteNumber("fp16OverBitnet", r.Fp16OverBitNet);
        w.WriteNumber("bitnetPicojoulesPerSequence", r.BitNetPicojoulesPerSequence);
        w.WriteNumber("fp16PicojoulesPerSequence", r.Fp16PicojoulesPerSequence);
        w.WriteStartArray("layers");
        foreach (var l in r.Layers.Append(r.LmHead))
        {
            w.WriteStartObject();
            w.WriteString("layer", l.Layer);
            w.WriteNumber("macsPerToken", l.MacsPerToken);
            w.WriteNumber("bitnetPicojoules", l.BitNetPicojoules);
            w.WriteNumber("fp16Picojoules", l.Fp16Picojoules);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("weightTraffic");
        foreach (var m in r.Memory)
        {
            w.WriteStartObject();
            w.WriteString("weights", m.Label);
            w.WriteNumber("bitsPerWeight", m.BitsPerWeight);
            w.WriteNumber("bytesPerToken", m.BytesPerToken);
            w.WriteNumber("dramPicojoules", m.DramPicojoules);
            w.WriteNumber("sramPicojoules", m.SramPicojoules);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("sramCapacityBytes", r.WeightSram.CapacityBytes);
        WriteKvAndRegisters(w, r);
        w.WriteEndObject();
    }

    private static void WriteKvAndRegisters(Utf8JsonWriter w, AnalyticResult r)
    {
        w.WriteStartObject("kvCacheTraffic");
        w.WriteNumber("bitsPerValue", r.KvCache.BitsPerValue);
        w.WriteNumber("readBitsPerToken", r.KvCache.ReadBitsPerToken);
        w.WriteNumber("writeBitsPerToken", r.KvCache.WriteBitsPerToken);
        w.WriteNumber("dramPicojoules", r.KvCache.DramPicojoules);
        w.WriteNumber("sramPicojoules", r.KvCache.SramPicojoules);
        w.WriteEndObject();
        w.WriteStartObject("registerWrites");
        w.WriteNumber("bitnetBitsPerToken", r.Registers.BitNetBitsPerToken);
        w.WriteNumber("fp16BitsPerToken", r.Registers.Fp16BitsPerToken);
        NumberOrNull(w, "bitnetPicojoules", r.Registers.BitNetPicojoules);
        NumberOrNull(w, "fp16Picojoules", r.Registers.Fp16Picojoules);
        w.WriteEndObject();
        w.WriteStartArray("parts");
        foreach (var (name, p) in new[] { ("bitnet", r.Parts(bitnet: true)), ("fp16", r.Parts(bitnet: false)) })
        {
            w.WriteStartObject();
            w.WriteString("datapath", name);
            w.WriteNumber("arithmeticPicojoules", p.ArithmeticPicojoules);
            w.WriteNumber("registerPicojoules", p.RegisterPicojoules);
            w.WriteNumber("kvCachePicojoules", p.KvCachePicojoules);
            w.WriteNumber("weightSramPicojoules", p.WeightPicojoules);
            w.WriteNumber("totalPicojoules", p.TotalPicojoules);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void NumberOrNull(Utf8JsonWriter w, string name, double? v)
    {
        if (v is double d) w.WriteNumber(name, d);
        else w.WriteNull(name);
    }

    /// <summary>The <c>--accounting bitnet-papers</c> report: each datapath's multiplies and adds per sequence, and the published figures for these results.</summary>
    public static string Papers(IReadOnlyList<PaperResult> results) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("model", "analytic");
        w.WriteString("accounting", "bitnet-papers");
        w.WriteStartArray("results");
        foreach (var r in results)
        {
            w.WriteStartObject();
            w.WriteString("model", r.Model.Id);
            w.WriteString("node", r.Node.Name);
            w.WriteNumber("sequenceTokens", r.SequenceTokens);
            w.WriteNumber("fp16OverBitnet", r.Fp16OverBitNet);
            w.WriteStartArray("datapaths");
            foreach (var d in new[] { r.BitNet, r.Fp16, r.Fp32 }.OfType<PaperDatapath>())
            {
                w.WriteStartObject();
                w.WriteString("name", d.Name);
                w.WriteNumber("linearMulPicojoules", d.LinearMulPicojoules);
                w.WriteNumber("linearAddPicojoules", d.LinearAddPicojoules);
                w.WriteNumber("attentionMulPicojoules", d.AttentionMulPicojoules);
                w.WriteNumber("attentionAddPicojoules", d.AttentionAddPicojoules);
                w.WriteNumber("totalPicojoules", d.TotalPicojoules);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("published");
            foreach (var f in PublishedFigure.All.Where(f => f.Model == r.Model.Id && f.Node == r.Node.Name && f.Tokens == r.SequenceTokens))
            {
                w.WriteStartObject();
                w.WriteString("id", f.Id);
                w.WriteString("quantity", f.Quantity);
                w.WriteString("unit", f.Unit);
                w.WriteNumber("published", f.Value);
                w.WriteNumber("ours", f.Ours(r));
                w.WriteBoolean("reproduced", f.Matches(f.Ours(r)));
                w.WriteString("source", f.Source);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static string Simulation(SimEnergyResult r) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("model", "simulation");
        w.WriteString("node", r.Node.Name);
        w.WriteString("configTag", r.Report.Config.Tag);
        w.WriteNumber("tokens", r.Tokens);
        w.WriteNumber("cycles", r.Report.Cycles);
        w.WriteNumber("termsTotal", r.Report.Activity.TermsTotal);
        w.WriteNumber("termsZeroWeight", r.Report.Activity.TermsZeroWeight);
        w.WriteNumber("picojoulesPerToken", r.PicojoulesPerToken);
        w.WriteNumber("arithmeticPicojoulesPerTerm", r.ArithmeticPicojoulesPerTerm);
        w.WriteNumber("zeroWeightPicojoules", r.ZeroWeightPicojoules);
        w.WriteNumber("sramShare", r.SramShare);
        w.WriteNumber("registerBitsWritten", r.Report.Activity.RegisterBitsWritten);
        w.WriteBoolean("registersPriced", r.RegistersPriced);
        w.WriteNumber("registerPicojoules", r.Measured.RegisterPicojoules);
        w.WriteNumber("registerShare", r.RegisterShare);
        w.WriteStartArray("datapaths");
        foreach (var d in new[] { r.Measured, r.MacBaseline, r.Fp16Baseline }.OfType<DatapathEnergy>()) WriteDatapath(w, d, r.Tokens);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void WriteDatapath(Utf8JsonWriter w, DatapathEnergy d, long tokens)
    {
        w.WriteStartObject();
        w.WriteString("name", d.Name);
        w.WriteNumber("additionPicojoules", d.AdditionPicojoules);
        w.WriteNumber("multiplyPicojoules", d.MultiplyPicojoules);
        w.WriteNumber("sramPicojoules", d.SramPicojoules);
        w.WriteNumber("registerPicojoules", d.RegisterPicojoules);
        w.WriteNumber("totalPicojoules", d.TotalPicojoules);
        w.WriteNumber("picojoulesPerToken", d.TotalPicojoules / tokens);
        w.WriteStartArray("memories");
        foreach (var m in d.Memories)
        {
            w.WriteStartObject();
            w.WriteString("memory", m.Memory);
            w.WriteNumber("capacityBytes", m.CapacityBytes);
            w.WriteNumber("bits", m.Bits);
            w.WriteNumber("sramTableCapacityBytes", m.Sram.CapacityBytes);
            w.WriteNumber("picojoules", m.Picojoules);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    internal static string Write(Action<Utf8JsonWriter> body)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            body(w);
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }
}
