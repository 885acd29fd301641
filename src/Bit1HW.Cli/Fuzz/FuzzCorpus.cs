using System.Buffers.Binary;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.Energy.Technology;
using Bit1HW.Model;

namespace Bit1HW.Cli.Fuzz;

/// <summary>
/// A valid file to mutate and the command lines that read it. In the commands, <c>{in}</c> is the
/// mutated file, <c>{case}</c> the case directory (holding it and the companion files),
/// <c>{out}</c> an empty directory for outputs and <c>{seeds}</c> the directory of valid seed files.
/// </summary>
internal sealed record FuzzSeedFile(string Name, string FileName, byte[] Bytes, int HotEnd, bool IsText,
    string? CompanionDir, string[][] Commands);

/// <summary>
/// The formats `bit1hw fuzz` covers and, for each, its seed files (small valid files made by the
/// real commands: make-layer, compile, sim, model new) and the commands that read them.
/// </summary>
internal static class FuzzCorpus
{
    public static readonly string[] Formats =
        ["safetensors", "gguf-tq1", "gguf-tq2", "gguf-i2s", "hw-config", "model-config", "node", "sim-report", "b1img", "asm"];

    private const string TinyConfig =
        "{\n  \"hidden_size\": 256,\n  \"intermediate_size\": 256,\n  \"num_hidden_layers\": 1,\n  \"num_attention_heads\": 2,\n" +
        "  \"num_key_value_heads\": 1,\n  \"vocab_size\": 32,\n  \"max_position_embeddings\": 64,\n  \"rms_norm_eps\": 1e-05,\n" +
        "  \"rope_theta\": 10000.0,\n  \"hidden_act\": \"relu2\",\n  \"tie_word_embeddings\": true\n}\n";

    private static readonly HardwareConfig Small = new()
    {
        Lanes = 3, Rows = 2, ActBits = 4, PipeEvery = 1, Pe = PeKind.Mac, WeightDepth = 128, ActDepth = 64, OutDepth = 32, InstrDepth = 128, MaxK = 96,
    };

    private const string HandAssembly = "; a hand-written program\nclr\nsetw 0x0\nSETA 0 # first tile\nMAC 2\nNOP 3\nOUT 1\n.word 0x00000001\nHALT\n";

    /// <summary>Writes every seed file into <paramref name="dir"/> by running the real commands.</summary>
    public static void Prepare(string dir)
    {
        Directory.CreateDirectory(dir);
        string P(string name) => Path.Combine(dir, name);
        Run("make-layer", "--out", P("layer.safetensors"), "--out-features", "9", "--in-features", "40", "--tokens", "2", "--seed", "3");
        var layer = SafeTensorsFile.Read(P("layer.safetensors"));
        var half = new SafeTensorsFile();
        foreach (SafeTensor t in layer.Tensors)
            half.Add(SafeTensor.FromSinglesAs(t.Name, [.. t.Shape], t.ToSingles(t.Name), SafeTensorDType.BF16));
        half.Write(P("layer-bf16.safetensors"));
        File.WriteAllText(P("small.json"), Small.ToJson());
        File.WriteAllText(P("default.json"), HardwareConfig.Default.ToJson());
        File.WriteAllText(P("tiny.json"), TinyConfig);
        File.WriteAllText(P("tiny-untied.json"), TinyConfig.Replace("\"relu2\"", "\"silu\"").Replace("\"tie_word_embeddings\": true", "\"tie_word_embeddings\": false"));
        foreach (string f in (string[])["tq1", "tq2", "i2s"])
            Run("model", "new", "--model-config", P("tiny.json"), "--seed", "5", "--format", $"gguf-{f}", "--out", P($"tiny-{f}.gguf"));
        Run("model", "new", "--model-config", P("tiny.json"), "--format", "safetensors", "--out", P("model-latent"));
        Run("model", "new", "--model-config", P("tiny-untied.json"), "--format", "safetensors-packed", "--out", P("model-packed"));
        Run("compile", "--in", P("layer.safetensors"), "--image", P("default.b1img"), "--asm", P("default.s"));
        Run("compile", "--in", P("layer.safetensors"), "--config", P("small.json"), "--image", P("small.b1img"));
        Run("sim", "--in", P("layer.safetensors"), "--out", P("sim.safetensors"), "--report", P("sim.json"), "--quiet");
        Run("sim", "--in", P("layer.safetensors"), "--config", P("small.json"), "--out", P("sim.safetensors"), "--report", P("sim-mac.json"), "--quiet");
        File.WriteAllText(P("hand.s"), HandAssembly);
        File.WriteAllText(P("7nm.json"), TechnologyNode.ShippedJson("7nm"));
        File.WriteAllText(P("45nm.json"), TechnologyNode.ShippedJson("45nm"));
    }

    private static void Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliRunner.Run(args, o, e);
        if (code != 0) throw new InvalidOperationException($"fuzz seed '{string.Join(' ', args)}' failed ({code}): {e}");
    }

    /// <summary>The seed files of <paramref name="format"/> from a prepared directory.</summary>
    public static IReadOnlyList<FuzzSeedFile> Seeds(string format, string dir)
    {
        string P(string name) => Path.Combine(dir, name);
        string[] Decode(string model) => ["decode", "--model", model, "--prompt-tokens", "1 2", "--max-new", "2"];
        string[][] layerCommands =
        [
            ["bitlinear", "--in", "{in}", "--out", "{out}/b.safetensors"],
            ["quantize", "--in", "{in}", "--out", "{out}/q.safetensors"],
            ["compile", "--in", "{in}", "--image", "{out}/c.b1img", "--asm", "{out}/c.s"],
            ["sim", "--in", "{in}", "--out", "{out}/s.safetensors", "--report", "{out}/s.json", "--quiet"],
        ];
        string[][] modelCommands = [["model", "inspect", "{case}"], Decode("{case}")];
        string[][] ggufCommands = [["model", "inspect", "{in}"], Decode("{in}")];
        return format switch
        {
            "safetensors" =>
            [
                Binary("layer-f32", "layer.safetensors", P("layer.safetensors"), SafetensorsHeaderEnd, null, layerCommands),
                Binary("layer-bf16", "layer.safetensors", P("layer-bf16.safetensors"), SafetensorsHeaderEnd, null, layerCommands),
                Binary("model-latent", "model.safetensors", P("model-latent/model.safetensors"), SafetensorsHeaderEnd, P("model-latent"), modelCommands),
                Binary("model-packed", "model.safetensors", P("model-packed/model.safetensors"), SafetensorsHeaderEnd, P("model-packed"), modelCommands),
            ],
            "gguf-tq1" or "gguf-tq2" or "gguf-i2s" =>
                [Binary(format, "model.gguf", P($"tiny-{format[5..]}.gguf"), GgufHeaderEnd, null, ggufCommands)],
            "hw-config" => [.. ((string[])["default.json", "small.json"]).Select(f => Text(f, "hw.json", P(f), null,
            [
                ["info", "--config", "{in}"],
                ["compile", "--config", "{in}", "--in", "{seeds}/layer.safetensors", "--image", "{out}/c.b1img"],
                ["gen", "--config", "{in}", "--out", "{out}/rtl"],
            ]))],
            "model-config" =>
            [
                ModelConfigSeed("tiny", P("tiny.json"), P("model-latent")),
                ModelConfigSeed("tiny-untied", P("tiny-untied.json"), P("model-packed")),
            ],
            "node" => [.. ((string[])["7nm.json", "45nm.json"]).Select(f => Text(f, "node.json", P(f), null,
            [
                ["energy", "--model", "bitnet-b1.58-2b-4t", "--node", "{in}"],
                ["energy", "--from-sim", "{seeds}/sim.json", "--node", "{in}", "--json"],
            ]))],
            "sim-report" => [.. ((string[])["sim.json", "sim-mac.json"]).Select(f => Text(f, "sim.json", P(f), null,
            [
                ["energy", "--from-sim", "{in}", "--node", "7nm"],
                ["energy", "--from-sim", "{in}", "--node", "45nm", "--json"],
            ]))],
            "b1img" => [.. ((string[])["default.b1img", "small.b1img"]).Select(f =>
                Binary(f, "program.b1img", P(f), _ => int.MaxValue, null, [["sim", "--image", "{in}", "--out", "{out}/s.safetensors", "--quiet"]]))],
            "asm" => [.. ((string[])["default.s", "hand.s"]).Select(f => Text(f, "program.s", P(f), null,
            [
                ["asm", "--in", "{in}", "--out", "{out}/p.hex"],
                ["asm", "--in", "{in}", "--config", "{seeds}/small.json"],
            ]))],
            _ => throw new Core.UserInputException("--format", $"'{format}' is not one of {string.Join(", ", Formats)}"),
        };
    }

    private static FuzzSeedFile ModelConfigSeed(string name, string path, string modelDir) => Text(name, "config.json", path, modelDir,
    [
        ["energy", "--model", "{in}", "--node", "7nm"],
        ["model", "inspect", "{case}"],
        ["decode", "--model", "{case}", "--prompt-tokens", "1 2", "--max-new", "2"],
        ["model", "new", "--model-config", "{in}", "--format", "gguf-tq2", "--out", "{out}/m.gguf"],
        ["model", "new", "--model-config", "{in}", "--format", "safetensors-packed", "--out", "{out}/m"],
    ]);

    private static FuzzSeedFile Text(string name, string fileName, string path, string? companions, string[][] commands) =>
        new(name, fileName, File.ReadAllBytes(path), int.MaxValue, true, companions, commands);

    private static FuzzSeedFile Binary(string name, string fileName, string path, Func<byte[], int> hotEnd, string? companions, string[][] commands)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return new(name, fileName, bytes, hotEnd(bytes), false, companions, commands);
    }

    private static int SafetensorsHeaderEnd(byte[] b) => 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(b);

    private static int GgufHeaderEnd(byte[] b) => (int)ModelFile.GgufDataOffset(b, "seed");
}
