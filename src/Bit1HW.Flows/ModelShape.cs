using Bit1HW.Core;
using Bit1HW.Energy.Models;
using Bit1HW.Model;

namespace Bit1HW.Flows;

/// <summary>One ternary projection of a block: an [<see cref="OutFeatures"/>, <see cref="InFeatures"/>] weight matrix.</summary>
public readonly record struct Projection(string Name, int OutFeatures, int InFeatures)
{
    public long Weights => (long)OutFeatures * InFeatures;
}

/// <summary>
/// The ternary projections of a BitNet model, what the engine streams per generated token: every
/// block's q, k, v, o, gate, up, down (the embedding, lm_head, norms and attention stay on the host).
/// </summary>
public sealed record ModelShape(string Name, int Layers, IReadOnlyList<Projection> Projections)
{
    public long WeightsPerToken => checked(Projections.Sum(p => p.Weights) * Layers);

    /// <summary>A shipped model id (docs/energy.md lists them), a Hugging Face config.json, or a GGUF file (its header only is read).</summary>
    public static ModelShape Resolve(string idOrPath)
    {
        if (ModelFile.IsGguf(idOrPath)) return From(ModelFile.ReadGgufConfig(idOrPath), Path.GetFileName(idOrPath));
        ModelArchitecture a = ModelArchitecture.Resolve(idOrPath);
        return new ModelShape(a.Id, Int(a.Layers, "num_hidden_layers", a.Id),
            a.LinearLayers.Select(l => new Projection(l.Name, Int(l.OutFeatures, l.Name, a.Id), Int(l.InFeatures, l.Name, a.Id))).ToArray());
    }

    /// <summary>The projections of a decoder's <see cref="ModelConfig"/> (a loaded model's <c>Config</c>).</summary>
    public static ModelShape From(ModelConfig c, string name)
    {
        int q = c.HeadDim * c.NumHeads;
        return new ModelShape(name, c.NumLayers,
        [
            new("q", q, c.HiddenSize), new("k", c.KvDim, c.HiddenSize), new("v", c.KvDim, c.HiddenSize),
            new("o", c.HiddenSize, q), new("gate", c.IntermediateSize, c.HiddenSize),
            new("up", c.IntermediateSize, c.HiddenSize), new("down", c.HiddenSize, c.IntermediateSize),
        ]);
    }

    private static int Int(long v, string what, string model) => v <= int.MaxValue ? (int)v
        : throw new UserInputException(model, $"{what}: {v} is larger than the engine's 32-bit shapes");
}
