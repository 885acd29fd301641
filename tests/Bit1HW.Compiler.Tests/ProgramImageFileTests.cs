using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Compiler.Tests;

public class ProgramImageFileTests
{
    private static ProgramImage Image()
    {
        HardwareConfig c = new HardwareConfig { Lanes = 7, Rows = 3, ActBits = 5, Pe = PeKind.Mac, MaxK = 128 }.Validate();
        var rng = new SplitMix64(9);
        var w = new sbyte[5 * 20];
        var x = new sbyte[2 * 20];
        for (int i = 0; i < w.Length; i++) w[i] = (sbyte)rng.Next(-128, 128);
        for (int i = 0; i < x.Length; i++) x[i] = (sbyte)rng.Next(-16, 16);
        return LayerCompiler.Compile(new Layer(new Workload(2, 5, 20), w, x), c).Image;
    }

    [Fact]
    public void An_image_survives_a_round_trip_through_its_file_format_byte_for_byte()
    {
        ProgramImage a = Image();
        byte[] bytes = ProgramImageFile.ToBytes(a);
        ProgramImage b = ProgramImageFile.Parse(bytes, "mem");
        Assert.Equal(a.Config, b.Config);
        Assert.Equal(a.Instructions, b.Instructions);
        Assert.Equal(a.Weights.Limbs, b.Weights.Limbs);
        Assert.Equal(a.Weights.WrittenWords, b.Weights.WrittenWords);
        Assert.Equal(a.Activations.Limbs, b.Activations.Limbs);
        Assert.Equal(a.Workload, b.Workload);
        Assert.Equal(a.OutputWord, b.OutputWord);
        Assert.Equal(a.OutputRow, b.OutputRow);
        Assert.Equal(a.PredictedCycles, b.PredictedCycles);
        Assert.Equal(bytes, ProgramImageFile.ToBytes(b));
    }

    [Fact]
    public void A_corrupt_image_file_is_rejected_naming_the_file()
    {
        byte[] bytes = ProgramImageFile.ToBytes(Image());
        Assert.Contains("truncated", Assert.Throws<UserInputException>(() => ProgramImageFile.Parse(bytes[..^3], "f.b1img")).Message);
        byte[] bad = (byte[])bytes.Clone();
        bad[0] = (byte)'X';
        Assert.StartsWith("f.b1img: not a Bit1HW program image", Assert.Throws<UserInputException>(() => ProgramImageFile.Parse(bad, "f.b1img")).Message);
        Assert.Contains("unexpected bytes", Assert.Throws<UserInputException>(() => ProgramImageFile.Parse([.. bytes, 0], "f.b1img")).Message);
    }
}
