using System.Reflection;

namespace Bit1HW.Sim.Tests;

public class ArchitectureTests
{
    // The simulator is written from docs/hardware.md and Core only, so co-simulation against the
    // generated RTL compares two independent implementations rather than one generator twice.
    [Fact]
    public void Simulator_assembly_does_not_reference_the_generator_or_the_compiler()
    {
        Assembly sim = typeof(Bit1HW.Sim.SimulatorAssemblyMarker).Assembly;
        string[] refs = sim.GetReferencedAssemblies().Select(a => a.Name ?? "").ToArray();
        Assert.DoesNotContain("Bit1HW.HdlGen", refs);
        Assert.DoesNotContain("Bit1HW.Compiler", refs);
        string csproj = File.ReadAllText(RepoPaths.Of("sim", "Bit1HW.Sim", "Bit1HW.Sim.csproj"));
        Assert.DoesNotContain("HdlGen.csproj", csproj);
        Assert.DoesNotContain("Compiler.csproj", csproj);
    }
}
