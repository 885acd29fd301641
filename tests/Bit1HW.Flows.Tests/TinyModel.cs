using Bit1HW.Model;

namespace Bit1HW.Flows.Tests;

/// <summary>A small synthetic BitNet model written to a temporary GGUF file and loaded through the public API.</summary>
internal static class TinyModel
{
    public static BitNetWeights Load(int layers, ulong seed)
    {
        var config = new ModelConfig
        {
            HiddenSize = 256, IntermediateSize = 512, NumLayers = layers, NumHeads = 4, NumKvHeads = 2,
            VocabSize = 64, RopeTheta = 10000f, Act = HiddenAct.Relu2, TieWordEmbeddings = true, MaxPositions = 64,
        };
        string path = Path.Combine(Path.GetTempPath(), $"bit1hw-tiny-{Guid.NewGuid():N}.gguf");
        try
        {
            ModelFile.WriteSynthetic(config, seed, ModelFormat.GgufTq2, path);
            return ModelFile.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
