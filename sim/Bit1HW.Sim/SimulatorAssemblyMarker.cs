namespace Bit1HW.Sim;

/// <summary>Anchor type for architecture tests that inspect this assembly's references.</summary>
public static class SimulatorAssemblyMarker;
