// Bit1HW from C#: generate the engine's Verilog, compile a layer for it, simulate it cycle by
// cycle, co-simulate it against the generated RTL under Verilator, and price its energy.
// Run:  dotnet run --project docs/examples/csharp -- [output directory]
// Exit code 0 when every step agrees with Core's software reference, 1 otherwise.
using Bit1HW.Compiler;
using Bit1HW.CoSim;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.Core.Numerics;
using Bit1HW.Energy.Simulation;
using Bit1HW.Energy.Technology;
using Bit1HW.Flows;
using Bit1HW.HdlGen;
using Bit1HW.Sim;

string outDir = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "bit1hw-example");
HardwareConfig config = HardwareConfig.Default;

// 1. Generate: one Verilog file per module and manifest.json, written as a whole or not at all.
IReadOnlyList<GeneratedFile> rtl = RtlGenerator.Generate(config);
AtomicFile.WriteDirectory(Path.Combine(outDir, "rtl"), rtl.Select(f => (f.RelativePath, f.Text)).ToList(), marker: "manifest.json");
Console.WriteLine($"generated {rtl.Count} files for {config.Tag} in {Path.Combine(outDir, "rtl")} (top {RtlGenerator.TopModule(config)})");

// 2. A layer: seeded float weights [32, 256] and inputs [2, 256], quantized as BitNet b1.58 does.
SyntheticLayer data = SyntheticLayer.Generate(outFeatures: 32, inFeatures: 256, tokens: 2, seed: 7, zeroFraction: 0.1);
HardwareLayer layer = HardwareLayer.Quantize(data.Weight, data.OutFeatures, data.Input, data.Tokens, data.InFeatures,
    config, WeightScaleMethod.AbsMean);
int[] reference = layer.Reference().Acc;

// 3. Compile: tile, schedule and verify the program for the engine.
CompiledLayer compiled = LayerCompiler.Compile(layer.Layer, config);
Console.WriteLine($"compiled {compiled.Image.Instructions.Length} instructions, predicted {compiled.Image.PredictedCycles} cycles");

// 4. Simulate: the cycle-accurate engine, driven through its host port.
SimResult sim = Simulator.Run(compiled.Image);
bool simAgrees = sim.Acc.AsSpan().SequenceEqual(reference);
Console.WriteLine($"simulated {sim.Cycles} cycles, {sim.Activity.MacTiles} MAC tiles; accumulators {(simAgrees ? "equal" : "DIFFER from")} the reference");

// 5. Co-simulate: simulator and generated RTL (Verilator) in lockstep, every port every cycle.
CaseReport cosim = CoSimulation.Run(layer.Layer, compiled.Image, Console.Error);
Console.WriteLine($"co-simulated: {cosim.Describe()}");

// 6. Energy: the simulator's activity priced at 7 nm, in process.
SimEnergyResult energy = SimEnergyModel.Estimate(sim.ToReport(), TechnologyNode.Resolve("7nm"));
Console.WriteLine($"energy {energy.PicojoulesPerToken:F1} pJ per token at {energy.Node.Name} ({energy.SramShare:P0} in SRAM), " +
                  $"FP16 would take {energy.Fp16Baseline.TotalPicojoules / energy.Measured.TotalPicojoules:F1}x");

return simAgrees && cosim.Agrees ? 0 : 1;
