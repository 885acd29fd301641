using System.CommandLine;
using Bit1HW.Core;
using Bit1HW.Core.IO;
using Bit1HW.Model;

namespace Bit1HW.Cli.Commands;

/// <summary><c>bit1hw model new|inspect</c>: write a seeded synthetic BitNet model; describe a model file.</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var cmd = new Command("model", "Create or inspect BitNet b1.58 model files (GGUF TQ2_0 / TQ1_0 / I2_S, Hugging Face safetensors).");
        cmd.Add(New());
        cmd.Add(Inspect());
        return cmd;
    }

    private static Command New()
    {
        var config = new Option<string>("--config") { Description = "Hugging Face style config.json (hidden_size, intermediate_size, ...)", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the synthetic weights", DefaultValueFactory = _ => 1 };
        var format = new Option<string>("--format") { Description = "gguf-tq2 | gguf-tq1 | gguf-i2s | safetensors (bf16 latent weights) | safetensors-packed (2-bit + weight_scale); safetensors writes a directory", DefaultValueFactory = _ => "gguf-tq2" };
        var output = new Option<string>("--out") { Description = "Output file", Required = true };
        var arch = new Option<string?>("--arch") { Description = "GGUF architecture name: bitnet (mainline llama.cpp, SiLU FFN) | bitnet-b1.58 | bitnet-25 (bitnet.cpp, relu2 FFN); default: the one matching hidden_act" };
        var tokenizer = new Option<string>("--tokenizer") { Description = "GGUF tokenizer metadata: spm (a placeholder SentencePiece vocabulary, so llama-cli loads the file) | none", DefaultValueFactory = _ => "spm" };
        var cmd = new Command("new", "Write a seeded synthetic BitNet model of the given shape as real file bytes.\n\nExample:\n  bit1hw model new --config docs/examples/models/tiny.json --seed 7 --format gguf-tq2 --out build/tiny.gguf")
        {
            config, seed, format, output, arch, tokenizer,
        };
        cmd.SetAction(parse =>
        {
            var cfg = ModelConfig.Load(parse.GetValue(config)!);
            var fmt = SyntheticModel.ParseFormat(parse.GetValue(format)!);
            string path = parse.GetValue(output)!;
            var tok = ModelFile.ParseTokenizer(parse.GetValue(tokenizer)!);
            ModelFile.WriteSynthetic(cfg, parse.GetValue(seed), fmt, path, parse.GetValue(arch), tok);
            parse.InvocationConfiguration.Output.WriteLine($"wrote {path}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Inspect()
    {
        var path = new Argument<string>("path") { Description = "A .gguf file or a safetensors model directory" };
        var cmd = new Command("inspect", "Print a model file's metadata and its tensors with types, shapes, sizes and offsets.\n\nExample:\n  bit1hw model inspect build/tiny.gguf")
        {
            path,
        };
        cmd.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.Write(ModelFile.Inspect(parse.GetValue(path)!));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
