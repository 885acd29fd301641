using System.Globalization;
using System.Text.RegularExpressions;
using Bit1HW.Core;
using Bit1HW.Model;

namespace Bit1HW.LlamaCpp.Tests;

public sealed class DecodeVersusTests : IDisposable
{
    private readonly PeerModels.TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Bench_decode_vs_llama_cpp_reports_both_speeds_and_their_ratio_from_one_process()
    {
        string path = PeerModels.Write(_dir, PeerModels.Tiny(), 1, ModelFormat.GgufTq2);
        using var versus = DecodeVersus.Open(path, threads: 2, tokens: 8, LlamaCppBuild.Avx2);
        string report = versus.Run(ModelFile.Load(path), rounds: 3);
        double Field(string name) => double.Parse(Regex.Match(report, name + @"\s+([0-9.]+) tokens/s").Groups[1].Value, CultureInfo.InvariantCulture);
        double mine = Field("bit1hw"), theirs = Field("llama.cpp");
        Assert.True(mine > 0 && theirs > 0, report);
        var ratio = Regex.Match(report, @"bit1hw / llama.cpp = ([0-9.]+)\n");
        Assert.True(ratio.Success, report);
        Assert.Equal(Math.Round(mine / theirs, 2), double.Parse(ratio.Groups[1].Value, CultureInfo.InvariantCulture), 2);
        Assert.Contains("avx2 build", report);
    }

    [Fact]
    public void A_file_llama_cpp_refuses_fails_before_anything_is_timed()
    {
        string path = PeerModels.Write(_dir, PeerModels.Tiny(HiddenAct.Relu2), 1, ModelFormat.GgufTq2);
        var e = Assert.Throws<UserInputException>(() => DecodeVersus.Open(path, threads: 2, tokens: 8, LlamaCppBuild.Avx2));
        Assert.Contains("unknown model architecture: 'bitnet-b1.58'", e.Message);
    }
}
