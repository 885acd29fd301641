using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Xunit.Abstractions;

namespace Bit1HW.Compiler.Tests;

public class ChunkPlannerTests(ITestOutputHelper output)
{
    private static Layer Ones(int rows, int cols) =>
        new(new Workload(1, rows, cols), Enumerable.Repeat((sbyte)1, rows * cols).ToArray(), new sbyte[cols]);

    private static bool Compiles(HardwareConfig c, int rows, int cols)
    {
        try
        {
            LayerCompiler.Compile(Ones(rows, cols), c);
            return true;
        }
        catch (UserInputException)
        {
            return false;
        }
    }

    [Theory]
    [InlineData(16, 4, 512, 128, 128, 256, 2048)]   // the default configuration
    [InlineData(3, 5, 64, 16, 16, 64, 48)]
    [InlineData(33, 2, 32, 8, 64, 512, 264)]
    [InlineData(7, 1, 256, 64, 8, 32, 448)]
    public void Every_chunk_compiles_and_one_more_row_block_would_not(int lanes, int rows, int wd, int ad, int od, int id, int maxK)
    {
        var c = new HardwareConfig { Lanes = lanes, Rows = rows, WeightDepth = wd, ActDepth = ad, OutDepth = od, InstrDepth = id, MaxK = maxK }.Validate();
        var planner = new ChunkPlanner(c);
        var rng = TestSeed.Rng(31, output);
        for (int trial = 0; trial < 6; trial++)
        {
            int m = rng.Next(1, 3000), k = rng.Next(1, 3 * planner.MaxChunkCols);
            var chunks = planner.Plan(m, k);
            var covered = new int[m];
            foreach (Chunk ch in chunks)
            {
                Assert.True(Compiles(c, ch.Rows, ch.Cols), $"{c.Tag}: chunk {ch} of [{m}, {k}] does not compile");
                for (int r = ch.Row0; r < ch.Row0 + ch.Rows; r++) covered[r] += ch.Cols;
            }
            Assert.All(covered, n => Assert.Equal(k, n));
            int full = planner.MaxChunkRows(chunks[0].Cols);
            Assert.False(Compiles(c, full + rows, chunks[0].Cols) && full + rows <= m,
                $"{c.Tag}: {full + rows} rows of {chunks[0].Cols} columns also fit; the planner stopped at {full}");
        }
    }

    [Fact]
    public void The_default_engine_takes_more_rows_per_chunk_than_the_old_hand_copied_budget()
    {
        // K = 64 (4 K tiles): weightDepth and outDepth would allow 128 row blocks; imem decides. The
        // old (instrDepth - 8) / 6 guessed 41 row blocks; the schedule itself fits more.
        var planner = new ChunkPlanner(HardwareConfig.Default);
        int rows = planner.MaxChunkRows(64);
        output.WriteLine($"{rows} rows per chunk");
        Assert.True(rows > 41 * 4, $"{rows} rows");
        Assert.True(Compiles(HardwareConfig.Default, rows, 64));
        Assert.False(Compiles(HardwareConfig.Default, rows + 4, 64));
    }
}
