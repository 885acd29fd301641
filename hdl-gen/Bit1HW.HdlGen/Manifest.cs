using System.Text.Encodings.Web;
using System.Text.Json;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Verilog;

namespace Bit1HW.HdlGen;

/// <summary>
/// manifest.json: everything a consumer (co-simulation harness, synthesis flow, a person) needs
/// without parsing Verilog — the configuration and its derived numbers, the top's ports with
/// widths and directions, the module hierarchy, memory sizes and the instruction format.
/// Written with a fixed key order and "\n" line ends so it is byte-stable.
/// </summary>
internal static class Manifest
{
    public static string Write(HardwareConfig cfg, RtlVariant variant, IReadOnlyList<MemoryPlacement> plan, IReadOnlyList<Module> modules,
        IEnumerable<string> cellModels)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("tag", cfg.Tag);
            w.WriteString("top", TopGenerator.ModuleName(cfg));
            if (cfg.IsStreaming) w.WriteNull("board");
            else w.WriteString("board", BoardGenerator.ModuleName(cfg));
            w.WriteString("target", RtlVariant.Name(variant.Target));
            w.WriteString("accumulators", RtlVariant.Name(variant.Accumulators));
            w.WritePropertyName("config");
            using (var doc = JsonDocument.Parse(cfg.ToJson())) doc.WriteTo(w);
            w.WriteStartObject("derived");
            w.WriteNumber("weightBits", cfg.WeightBits);
            w.WriteNumber("treeLevels", cfg.TreeLevels);
            w.WriteNumber("peLatencyCycles", cfg.PeLatencyCycles);
            w.WriteNumber("fetchCycles", cfg.FetchCycles);
            w.WriteNumber("repeatBits", cfg.RepeatBits);
            w.WriteNumber("peTermBits", cfg.PeTermBits);
            w.WriteNumber("peOutBits", cfg.PeOutBits);
            w.WriteNumber("accBits", cfg.AccBits);
            w.WriteNumber("hostDataBits", cfg.HostDataBits);
            w.WriteNumber("hostAddrBits", cfg.HostAddrBits);
            w.WriteNumber("rowSelectBits", cfg.RowSelectBits);
            w.WriteEndObject();
            w.WriteStartArray("memories");
            foreach (MemoryPlacement p in plan) Memory(w, cfg, p, variant.Target);
            w.WriteEndArray();
            w.WriteStartArray("simulationModels");
            foreach (string cell in cellModels) w.WriteStringValue(CellModels.PathOf(cell));
            w.WriteEndArray();
            w.WriteStartArray("ports");
            foreach (Port p in modules[0].Ports)
            {
                w.WriteStartObject();
                w.WriteString("name", p.Name);
                w.WriteString("dir", p.Dir == PortDir.Input ? "in" : "out");
                w.WriteNumber("width", p.Type.WidthBits);
                w.WriteBoolean("signed", p.Type.Signed);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("modules");
            foreach (Module m in modules)
            {
                w.WriteStartObject();
                w.WriteString("name", m.Name);
                w.WriteString("file", $"{m.Name}.v");
                w.WriteStartArray("instances");
                foreach (Instance i in m.Items.OfType<Instance>())
                {
                    w.WriteStartObject();
                    w.WriteString("name", i.Name);
                    w.WriteString("module", i.Module);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Instructions(w);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray()).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>A memory, and on ice40-up5k where its word lives: SPRAM slices and the block RAM part.</summary>
    private static void Memory(Utf8JsonWriter w, HardwareConfig cfg, MemoryPlacement p, RtlTarget target)
    {
        w.WriteStartObject();
        w.WriteString("name", p.Memory);
        w.WriteString("module", RamGenerator.ModuleName(cfg, p.Memory));
        w.WriteNumber("words", p.Words);
        w.WriteNumber("wordBits", p.WordBits);
        w.WriteNumber("addrBits", Core.Numerics.Widths.AddressBits(p.Words));
        if (target == RtlTarget.Ice40Up5k)
        {
            w.WriteNumber("sprams", p.Sprams);
            w.WriteNumber("spramBits", p.SpramBits);
            w.WriteNumber("blockRamBits", p.BlockRamBits);
            w.WriteNumber("ice40BlockRams", p.Ice40BlockRams);
        }
        w.WriteEndObject();
    }

    private static void Instructions(Utf8JsonWriter w)
    {
        w.WriteStartObject("instructionFormat");
        w.WriteNumber("wordBits", 32);
        w.WriteString("opcode", "[31:28]");
        w.WriteString("operand", $"[{Isa.OperandBits - 1}:0]");
        w.WriteStartArray("opcodes");
        foreach (Opcode op in Enum.GetValues<Opcode>())
        {
            w.WriteStartObject();
            w.WriteString("mnemonic", Isa.Mnemonic(op));
            w.WriteNumber("opcode", (int)op);
            w.WriteString("cycles", op is Opcode.Nop or Opcode.Mac ? "max(n mod 2^repeatBits, 1)" : "1");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
