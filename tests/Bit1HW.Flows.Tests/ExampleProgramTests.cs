using System.Reflection;
using Bit1HW.Core.Tools;

namespace Bit1HW.Flows.Tests;

/// <summary>The C# example under docs/examples/csharp builds with the solution and runs here, so CI keeps it working.</summary>
public class ExampleProgramTests
{
    [ToolFact("verilator")]
    public void The_docs_example_generates_compiles_simulates_cosimulates_and_prices_a_layer()
    {
        string dll = typeof(ExampleProgramTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ExampleDll").Value!;
        string dir = Directory.CreateTempSubdirectory("bit1hw-example-").FullName;
        try
        {
            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            ToolResult r = ToolRunner.Run(dotnet, ["exec", dll, dir], dir, TimeSpan.FromMinutes(10));
            string stdout = r.Stdout;
            Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}\n{stdout}\n{r.Stderr}");
            Assert.Contains("accumulators equal the reference", stdout);
            Assert.Contains("co-simulated: agree", stdout);
            Assert.Matches(@"energy \d+\.\d pJ per token at 7nm", stdout);
            Assert.True(File.Exists(Path.Combine(dir, "rtl", "manifest.json")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
