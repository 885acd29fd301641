using Bit1HW.Core.IO;

namespace Bit1HW.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output inside a fresh temporary directory.</summary>
public sealed class CliHarness : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("bit1hw-cli-").FullName;

    public string PathOf(string name) => System.IO.Path.Combine(Dir, name);

    public (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code = CliRunner.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Writes a layer file with float32 'weight' and 'input' tensors (or other names/shapes for bad-input tests).</summary>
    public string WriteLayer(string name, float[] weight, long[] weightShape, float[] input, long[] inputShape,
        string weightName = "weight", string inputName = "input")
    {
        string path = PathOf(name);
        new SafeTensorsFile()
            .Add(SafeTensor.FromSingles(weightName, weightShape, weight))
            .Add(SafeTensor.FromSingles(inputName, inputShape, input))
            .Write(path);
        return path;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
