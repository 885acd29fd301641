using System.Reflection;
using Bit1HW.Core.IO;
using Bit1HW.Core.Tools;

namespace Bit1HW.Cli.Tests;

/// <summary>
/// Runs the built bit1hw program (src/Bit1HW.Cli's build output, or $BIT1HW_CLI) as a separate
/// process, with stdout and stderr captured, inside a fresh temporary working directory.
/// </summary>
public sealed class CliHarness : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("bit1hw-cli-").FullName;

    public string PathOf(string name) => System.IO.Path.Combine(Dir, name);

    public (int Exit, string Out, string Err) Run(params string[] args) => Bit1hw.Run(args, Dir);

    /// <summary>Runs with extra environment variables (NAME=value), e.g. BIT1HW_PROGRESS=live to get the terminal display on a pipe.</summary>
    public (int Exit, string Out, string Err) RunWith(string[] env, params string[] args) => Bit1hw.Run(args, Dir, env);

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

/// <summary>The program under test.</summary>
public static class Bit1hw
{
    /// <summary>The program's assembly, run with <c>dotnet exec</c>.</summary>
    public static readonly string Dll = Environment.GetEnvironmentVariable("BIT1HW_CLI") is { Length: > 0 } env ? env
        : typeof(Bit1hw).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Bit1hwDll").Value!;

    /// <summary>Runs <c>bit1hw args</c> in <paramref name="workDir"/> (default: the current directory); waits at most 10 minutes.</summary>
    public static (int Exit, string Out, string Err) Run(string[] args, string? workDir = null, string[]? env = null)
    {
        if (!File.Exists(Dll)) throw new FileNotFoundException($"{Dll} is missing: build it with `dotnet build src/Bit1HW.Cli -c Release` (or set BIT1HW_CLI)");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        string dir = workDir ?? Directory.GetCurrentDirectory();
        TimeSpan timeout = TimeSpan.FromMinutes(10);
        ToolResult r = env is { Length: > 0 }
            ? ToolRunner.Run("env", [.. env, dotnet, "exec", Dll, .. args], dir, timeout)
            : ToolRunner.Run(dotnet, ["exec", Dll, .. args], dir, timeout);
        return (r.ExitCode, r.Stdout, r.Stderr);
    }
}
