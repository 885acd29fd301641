using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Compiler;

/// <summary>
/// One quantized BitLinear layer as the engine computes it: integer weights [out, in] (ternary
/// -1/0/+1 from BitNetQuant.TernarizeWeights, or INT8 for <c>pe = mac</c>) and activations
/// [tokens, in] already quantized to actBits. Row-major flat arrays.
/// </summary>
public sealed record Layer(Workload Shape, sbyte[] Weights, sbyte[] Activations)
{
    /// <summary>Checks lengths and that every value is representable in the configuration.</summary>
    public void Validate(HardwareConfig config)
    {
        Workload s = Shape;
        if (s.Tokens < 1 || s.OutFeatures < 1 || s.InFeatures < 1)
            throw new UserInputException("layer", $"shape tokens={s.Tokens} out={s.OutFeatures} in={s.InFeatures}: every dimension must be >= 1");
        if (Weights.Length != (long)s.OutFeatures * s.InFeatures)
            throw new UserInputException("layer weight", $"{Weights.Length} values, out × in = {(long)s.OutFeatures * s.InFeatures} expected");
        if (Activations.Length != (long)s.Tokens * s.InFeatures)
            throw new UserInputException("layer input", $"{Activations.Length} values, tokens × in = {(long)s.Tokens * s.InFeatures} expected");
        if (config.Pe == PeKind.Ternary)
        {
            for (int i = 0; i < Weights.Length; i++)
                if (Weights[i] is < -1 or > 1)
                    throw new UserInputException("layer weight", $"element {i} is {Weights[i]}; a ternary PE takes -1, 0 or +1");
        }
        ValidateActivations(Activations, config);
    }

    /// <summary>Every activation must fit the configuration's actBits.</summary>
    public static void ValidateActivations(ReadOnlySpan<sbyte> activations, HardwareConfig config)
    {
        int lo = BitNetQuant.QMin(config.ActBits), hi = BitNetQuant.QMax(config.ActBits);
        for (int i = 0; i < activations.Length; i++)
            if (activations[i] < lo || activations[i] > hi)
                throw new UserInputException("layer input", $"element {i} is {activations[i]}, outside {lo}..{hi} for actBits {config.ActBits}");
    }
}
