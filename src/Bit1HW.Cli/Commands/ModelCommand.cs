using System.CommandLine;
using Bit1HW.Core;
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
        var modelConfig = new Option<string?>("--model-config") { Description = "Hugging Face style config.json of the model's shape (hidden_size, intermediate_size, ...)" };
        var oldConfig = new Option<string?>("--config") { Hidden = true };
        var seed = Flags.Seed("Seed of the synthetic weights", 1);
        var format = new Option<string>("--format") { Description = "gguf-tq2 | gguf-tq1 | gguf-i2s | safetensors (bf16 latent weights) | safetensors-packed (2-bit + weight_scale); safetensors writes a directory", DefaultValueFactory = _ => "gguf-tq2" };
        var output = new Option<string>("--out") { Description = "Output file", Required = true };
        var arch = new Option<string?>("--arch") { Description = "GGUF architecture name: bitnet (mainline llama.cpp, SiLU FFN) | bitnet-b1.58 | bitnet-25 (bitnet.cpp, relu2 FFN); default: the one matching hidden_act" };
        var tokenizer = new Option<string>("--tokenizer") { Description = "GGUF tokenizer metadata: spm (a placeholder SentencePiece vocabulary, so llama-cli loads the file) | none", DefaultValueFactory = _ => "spm" };
        var json = Flags.Json("the summary");
        var quiet = Flags.Quiet();
        var cmd = new Command("new", "Write a seeded synthetic BitNet model of the given shape as real file bytes.")
        {
            modelConfig, oldConfig, seed, format, output, arch, tokenizer, json, quiet,
        }.WithExamples("bit1hw model new --model-config docs/examples/models/tiny.json --seed 7 --format gguf-tq2 --out build/tiny.gguf");
        cmd.SetAction(parse =>
        {
            string? cfgPath = parse.GetValue(modelConfig);
            if (parse.GetValue(oldConfig) is { } old)
            {
                Flags.Deprecated(parse, "model new --config", "--model-config (--config is the hardware config everywhere)");
                if (cfgPath is not null) throw new UserInputException("--config", "give --model-config or the deprecated --config, not both");
                cfgPath = old;
            }
            if (cfgPath is null) throw new UserInputException("--model-config", "is required");
            var cfg = ModelConfig.Load(cfgPath);
            var fmt = SyntheticModel.ParseFormat(parse.GetValue(format)!);
            string path = parse.GetValue(output)!;
            var tok = ModelFile.ParseTokenizer(parse.GetValue(tokenizer)!);
            ulong s = parse.GetValue(seed);
            using (var status = Flags.Status(parse, parse.GetValue(quiet)))
            {
                status.Stage($"model new: writing {path}");
                ModelFile.WriteSynthetic(cfg, s, fmt, path, parse.GetValue(arch), tok, status);
            }
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) CliJson.Write(o, new { output = path, format = parse.GetValue(format), seed = s, layers = cfg.NumLayers, hidden = cfg.HiddenSize, vocab = cfg.VocabSize });
            else o.WriteLine($"wrote {path}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Inspect()
    {
        var path = new Argument<string>("path") { Description = "A .gguf file or a safetensors model directory" };
        var json = Flags.Json("the metadata and tensors");
        var cmd = new Command("inspect", "Print a model file's metadata and its tensors with types, shapes, sizes and offsets.")
        {
            path, json,
        }.WithExamples("bit1hw model inspect build/tiny.gguf", "bit1hw model inspect build/tiny.gguf --json | jq '.tensors[] | select(.type == \"TQ2_0\") | .bytes'");
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) CliJson.Write(o, ModelFile.Describe(parse.GetValue(path)!));
            else o.Write(ModelFile.Inspect(parse.GetValue(path)!));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
