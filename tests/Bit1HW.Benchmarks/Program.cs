using BenchmarkDotNet.Running;

// Run: dotnet run -c Release --project tests/Bit1HW.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
