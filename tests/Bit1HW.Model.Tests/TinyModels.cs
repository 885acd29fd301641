using Bit1HW.Model.Gguf;

namespace Bit1HW.Model.Tests;

/// <summary>Small synthetic models for tests, built in memory.</summary>
internal static class TinyModels
{
    public static ModelConfig Config(bool tied = true, HiddenAct act = HiddenAct.Relu2, int layers = 2) => new()
    {
        HiddenSize = 256, IntermediateSize = 512, NumLayers = layers, NumHeads = 4, NumKvHeads = 2,
        VocabSize = 64, RopeTheta = 10000f, Act = act, TieWordEmbeddings = tied, MaxPositions = 64,
    };

    public static byte[] Gguf(ModelConfig c, ulong seed, ModelFormat format)
    {
        var ms = new MemoryStream();
        SyntheticModel.WriteGguf(c, seed, format, ms);
        return ms.ToArray();
    }

    public static byte[] Gguf(ModelConfig c, ulong seed, GgmlType type, Func<List<GgufTensorSource>, List<GgufTensorSource>> edit)
    {
        var ms = new MemoryStream();
        GgufWriter.Write(ms, 3, GgufLayout.Metadata(c, type, seed), edit(SyntheticModel.Tensors(c, seed, type)));
        return ms.ToArray();
    }

    public static BitNetWeights Load(byte[] bytes) => GgufModelLoader.Load(new MemoryStream(bytes), "tiny.gguf");
}
