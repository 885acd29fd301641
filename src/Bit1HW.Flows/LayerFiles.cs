using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.IO;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Flows;

/// <summary>Reading layer files: the weight-scale method by name and checked 2-D float tensors from safetensors files.</summary>
public static class LayerFiles
{
    /// <summary>absmean or median; anything else is a <see cref="UserInputException"/> on <paramref name="subject"/>.</summary>
    public static WeightScaleMethod ParseMethod(string text, string subject = "--method") => text switch
    {
        "absmean" => WeightScaleMethod.AbsMean,
        "median" => WeightScaleMethod.Median,
        _ => throw new UserInputException(subject, $"'{text}' is not a method; use absmean or median"),
    };

    public static string MethodName(WeightScaleMethod m) => m == WeightScaleMethod.AbsMean ? "absmean" : "median";

    /// <summary>A 2-D float tensor with both dimensions ≥ 1 and every element finite; errors name the file, tensor and [row, col].</summary>
    public static (float[] Values, int Rows, int Cols) ReadMatrix(SafeTensorsFile file, string name, string rowsName, string colsName)
    {
        SafeTensor t = file.Get(name);
        string subject = $"{file.Source}: tensor '{name}'";
        if (t.Shape.Count != 2)
            throw new UserInputException(subject, $"shape {t.ShapeText} is not 2-D [{rowsName}, {colsName}]");
        if (t.Shape[0] < 1 || t.Shape[1] < 1)
            throw new UserInputException(subject, $"shape {t.ShapeText}: {(t.Shape[1] < 1 ? $"{colsName} (K) = 0" : $"{rowsName} = 0")}; both dimensions must be at least 1");
        if (t.Shape[0] > int.MaxValue || t.Shape[1] > int.MaxValue)
            throw new UserInputException(subject, $"shape {t.ShapeText} is too large");
        float[] v = t.ToSingles(file.Source);
        int rows = (int)t.Shape[0], cols = (int)t.Shape[1];
        for (int i = 0; i < v.Length; i++)
            if (!float.IsFinite(v[i]))
                throw new UserInputException(subject,
                    $"element [{i / cols}, {i % cols}] (flat index {i}) is {v[i].ToString(CultureInfo.InvariantCulture)}; NaN and infinity are not accepted");
        return (v, rows, cols);
    }
}
