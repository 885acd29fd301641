using System.Text.Json;
using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Energy.Technology;
using Bit1HW.Flows.Explore;
using Bit1HW.Flows.Resources;
using Bit1HW.Flows.Sweeps;
using Bit1HW.HdlGen.Synth;
using Bit1HW.Sim;

namespace Bit1HW.Flows.Tests;

public class ExploreTests
{
    private static string Repo(string relative) => RepoPaths.Of(relative);

    private static readonly ModelShape Tiny = ModelShape.Resolve(Repo("docs/examples/models/tiny.json"));

    /// <summary>16 configurations: 4 and 8 lanes × 1 and 2 rows × ternary and MAC × two weight depths; small memories so the tiny model is cut.</summary>
    private static readonly ExploreSpace SmallSpace = new()
    {
        Lanes = [4, 8], Rows = [1, 2], PipeEvery = [1], Pe = [PeKind.Ternary, PeKind.Mac], WeightDepth = [32, 64], ActDepth = [64],
        OutDepth = [64], InstrDepth = [256],
    };

    private static ExploreResult Explore(ExploreBudget budget, ExploreSpace? space = null, ExploreMemory? memory = null) =>
        Explorer.Run(new ExploreRequest(Tiny, SynthTarget.Ice40Up5k, budget, space ?? SmallSpace, memory ?? ExploreMemory.Default(SynthTarget.Ice40Up5k),
            TechnologyNode.Resolve("7nm"), 0, new SynthOptions(SynthTarget.Ice40Up5k)), new SweepOptions(Path.GetTempPath()),
            new Progress<ProgressUpdate>(), _ => { });

    [Fact]
    public void Enumeration_takes_every_combination_of_the_lists_once_in_a_fixed_order()
    {
        var (configs, skipped) = SmallSpace.Enumerate();
        Assert.Equal(16, configs.Count);
        Assert.Equal(0, skipped);
        Assert.Equal(16, configs.Select(c => (c.Lanes, c.Rows, c.Pe, c.WeightDepth)).Distinct().Count());
        Assert.Equal(configs, SmallSpace.Enumerate().Configs);
    }

    [Fact]
    public void Streaming_combinations_are_ternary_only_and_invalid_rings_are_skipped_not_errors()
    {
        var space = SmallSpace with { HostFed = false, WeightDepth = [1024], AxiDataBits = [32, 1024], Packing = [WeightPacking.TwoBit] };
        var (configs, skipped) = space.Enumerate();
        Assert.All(configs, c => Assert.True(c.IsStreaming && c.Pe == PeKind.Ternary));
        // 16-beat bursts of 1024 bits are 512 words of 8 lanes × 2 rows; 5 bursts do not fit a 1024-word ring.
        Assert.DoesNotContain(configs, c => c.Stream!.AxiDataBits == 1024 && c.Lanes * c.Rows == 16);
        Assert.True(skipped > 0);
        Assert.Contains(configs, c => c.Stream!.AxiDataBits == 32);
    }

    [Fact]
    public void Every_point_kept_fits_the_budget_and_every_point_pruned_exceeds_it()
    {
        var full = Explore(ExploreBudget.Default(SynthTarget.Ice40Up5k));
        int[] luts = [.. full.Points.Select(p => p.Predicted.Luts).Distinct().Order()];
        Assert.True(luts.Length >= 3, "the space must spread over several predicted sizes for this test to mean something");
        var budget = ExploreBudget.Default(SynthTarget.Ice40Up5k) with { Luts = luts[luts.Length / 2] };
        ExploreResult r = Explore(budget);
        Assert.Contains(r.Points, p => p.Projection is null);
        Assert.Contains(r.Points, p => p.Projection is not null);
        foreach (ExplorePoint p in r.Points)
        {
            Assert.Equal(ResourceModel.Predict(p.Config, new SynthOptions(SynthTarget.Ice40Up5k)), p.Predicted);
            bool fits = p.Predicted.Luts <= budget.Luts && p.Predicted.Ffs <= budget.Ffs && p.Predicted.Brams <= budget.Brams
                && p.Predicted.Sprams <= budget.Sprams && p.Predicted.Dsps <= budget.Dsps;
            if (!fits) Assert.StartsWith("luts ", p.PrunedBy);
            // Within the budget, a point is projected unless its memories cannot hold a chunk of the model (32-word wmem, 64 K tiles).
            else if (p.Projection is null) Assert.Matches("^model: .*weight", p.PrunedBy);
            Assert.Equal(p.PrunedBy is null, p.Projection is not null);
            Assert.False(p.OnFront && p.Projection is null);
        }
    }

    [Theory]
    [InlineData("luts")]
    [InlineData("ffs")]
    [InlineData("brams")]
    [InlineData("sprams")]
    [InlineData("dsps")]
    public void Each_budget_key_prunes_a_point_that_exceeds_it_by_one(string key)
    {
        var e = new ResourceEstimate(SynthTarget.Ice40Up5k, 100, 100, 10, 10, 2, 4, 110);
        int used = key switch { "luts" => e.Luts, "ffs" => e.Ffs, "brams" => e.Brams, "sprams" => e.Sprams, _ => e.Dsps };
        var room = ExploreBudget.Parse("luts=100,ffs=100,brams=10,sprams=2,dsps=4", SynthTarget.Ice40Up5k);
        Assert.Null(room.Exceeded(e));
        var tight = ExploreBudget.Parse($"{key}={used - 1}", SynthTarget.Ice40Up5k);
        var merged = room with
        {
            Luts = key == "luts" ? tight.Luts : room.Luts, Ffs = key == "ffs" ? tight.Ffs : room.Ffs, Brams = key == "brams" ? tight.Brams : room.Brams,
            Sprams = key == "sprams" ? tight.Sprams : room.Sprams, Dsps = key == "dsps" ? tight.Dsps : room.Dsps,
        };
        Assert.Equal($"{key} {used} > {used - 1}", merged.Exceeded(e));
    }

    [Theory]
    [InlineData("luts=", "luts needs a whole number")]
    [InlineData("lut=5", "the key must be one of")]
    [InlineData("luts=-3", "luts needs a whole number")]
    [InlineData("luts=5,luts=6", "'luts' is given twice")]
    public void A_bad_budget_is_a_one_line_error_naming_the_flag(string text, string message)
    {
        var e = Assert.Throws<UserInputException>(() => ExploreBudget.Parse(text, SynthTarget.Xc7));
        Assert.Equal("--budget", e.Subject);
        Assert.Contains(message, e.Problem);
    }

    [Fact]
    public void The_front_of_a_hand_built_set_is_the_staircase_of_fewer_luts_and_more_tokens_per_second()
    {
        ParetoFront.Candidate C(int luts, double tps, double j = 1) => new(luts, tps, j);
        var points = new[]
        {
            C(100, 1.0),          // 0 front: the smallest
            C(200, 0.9),          // 1 dominated by 0
            C(200, 2.0),          // 2 front
            C(300, 2.01),         // 3 not: 0.5 % faster than 2 is within the 1 % margin
            C(300, 3.0, j: 2),    // 4 not: ties 5 in LUTs and speed, more J/token
            C(300, 3.0, j: 1),    // 5 front
            C(400, 3.0),          // 6 dominated by 5
            C(500, 5.0),          // 7 front
            C(500, 5.0),          // 8 not: an exact copy of 7, listed after it
            C(50, 0.1),           // 9 front: the smallest of all, however slow
        };
        Assert.Equal([true, false, true, false, false, true, false, true, false, true], ParetoFront.Of(points));
        Assert.Equal([1, 2, 1, 3, 2, 1, 3, 1, 2, 1], ParetoFront.Layers(points).Select(l => l + 1));
    }

    [Fact]
    public void Near_front_picks_spread_along_the_front_of_the_eligible_points_then_the_next_layer()
    {
        var points = Enumerable.Range(0, 6).Select(i => new ParetoFront.Candidate(100 * (i + 1), i + 1, 1))   // 0..5: all on the front
            .Append(new ParetoFront.Candidate(150, 0.5, 1)).ToList();                                              // 6: second layer
        Assert.Equal([0, 5], ParetoFront.NearFront(points, 2));
        Assert.Equal([0, 2, 3, 5], ParetoFront.NearFront(points, 4));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], ParetoFront.NearFront(points, 7));
        Assert.Empty(ParetoFront.NearFront(points, 0));
        // Only some eligible (no streaming engine): the front of those alone, where 6, the smallest, is on it.
        Assert.Equal([3, 6], ParetoFront.NearFront(points, 2, eligible: i => i is 1 or 3 or 6));   // its two ends
        Assert.Equal([1, 3, 6], ParetoFront.NearFront(points, 3, eligible: i => i is 1 or 3 or 6));
    }

    [Theory]
    [InlineData(4, 1, 1, PeKind.Ternary)]
    [InlineData(8, 2, 2, PeKind.Mac)]
    [InlineData(16, 3, 1, PeKind.Ternary)]
    public void Host_fed_cycles_per_token_equal_the_compiler_and_the_simulator_chunk_by_chunk(int lanes, int rows, int pipeEvery, PeKind pe)
    {
        var cfg = new HardwareConfig { Lanes = lanes, Rows = rows, PipeEvery = pipeEvery, Pe = pe, WeightDepth = 32, ActDepth = 16, OutDepth = 16, InstrDepth = 256 }.Validate();
        var planner = new ChunkPlanner(cfg);
        var rng = new SplitMix64(15);
        long compiled = 0, simulated = 0, bits = 0;
        foreach (Projection proj in Tiny.Projections)
            foreach (Chunk chunk in planner.Plan(proj.OutFeatures, proj.InFeatures))
            {
                var w = new sbyte[chunk.Rows * chunk.Cols];
                var x = new sbyte[chunk.Cols];
                for (int i = 0; i < w.Length; i++) w[i] = pe == PeKind.Ternary ? (sbyte)rng.Next(-1, 2) : (sbyte)rng.Next(-128, 128);
                for (int i = 0; i < x.Length; i++) x[i] = (sbyte)rng.Next(-128, 128);
                CompiledLayer c = LayerCompiler.Compile(new Layer(new Workload(1, chunk.Rows, chunk.Cols), w, x), cfg);
                compiled += c.Image.PredictedCycles;
                simulated += Simulator.Run(c.Image).Cycles;
                bits += (long)c.Layout.WeightWords * cfg.WeightWordBits;
            }
        var (compute, _, weightBits) = TokenProjector.HostFedCycles(Tiny, cfg);
        Assert.Equal(compiled * Tiny.Layers, compute);
        Assert.Equal(simulated * Tiny.Layers, compute);
        Assert.Equal(bits * Tiny.Layers, weightBits);
    }

    [Fact]
    public void A_streaming_point_is_the_estimate_commands_projection()
    {
        var cfg = HardwareConfig.Load(Repo("docs/examples/kv260-stream.json"));
        var memory = new ExploreMemory(250, 12.8, 120);
        TokenProjection p = TokenProjector.Project(ModelShape.Resolve("bitnet-b1.58-2b-4t"), cfg, memory, TechnologyNode.Resolve("7nm"));
        Assert.Equal((8_271_270L, 1_913_760L, 939_930L, 521_011_200L), (p.ComputeCycles, p.StallCycles, p.HostCycles, p.BytesPerToken));   // docs/performance.md
        Assert.Equal(22.47, Math.Round(p.TokensPerSecond, 2));
        Assert.Equal(ProjectionBound.Memory, p.Bound);
    }

    [Fact]
    public void A_slow_memory_slows_the_host_writes_of_a_host_fed_engine_and_says_so()
    {
        var cfg = new HardwareConfig { Lanes = 8, Rows = 2, WeightDepth = 64, ActDepth = 64, OutDepth = 64, InstrDepth = 256 }.Validate();
        var node = TechnologyNode.Resolve("7nm");
        TokenProjection free = TokenProjector.Project(Tiny, cfg, new ExploreMemory(48, null, 120), node);
        Assert.Equal(ProjectionBound.Engine, free.Bound);
        Assert.Equal(48e6 / free.CyclesPerToken, free.TokensPerSecond, 9);
        double bytesPerSecond = 1e5;   // far below 2 bytes per cycle at 48 MHz
        TokenProjection slow = TokenProjector.Project(Tiny, cfg, new ExploreMemory(48, bytesPerSecond / 1e9, 120), node);
        Assert.Equal(ProjectionBound.Memory, slow.Bound);
        long weightWords = slow.BytesPerToken * 8 / cfg.WeightWordBits;
        double seconds = (slow.CyclesPerToken - weightWords) / 48e6 + slow.BytesPerToken / bytesPerSecond;
        Assert.Equal(1 / seconds, slow.TokensPerSecond, 9);
    }

    [Fact]
    public void The_tables_parse_and_are_byte_stable_for_the_same_inputs()
    {
        var budget = ExploreBudget.Default(SynthTarget.Ice40Up5k) with { Luts = 800 };
        ExploreResult a = Explore(budget), b = Explore(budget);
        string csv = ExploreFiles.Csv(a.Points, a.Request), json = ExploreFiles.Json(a);
        Assert.Equal(csv, ExploreFiles.Csv(b.Points, b.Request));
        Assert.Equal(json, ExploreFiles.Json(b));
        string[] lines = csv.Split('\n');
        Assert.Equal("", lines[^1]);
        Assert.Equal(string.Join(',', ExploreFiles.Columns), lines[0]);
        Assert.Equal(a.Points.Count + 2, lines.Length);
        foreach (string line in lines[1..^1]) Assert.Equal(ExploreFiles.Columns.Length, line.Split(',').Length);
        using var doc = JsonDocument.Parse(json);
        JsonElement points = doc.RootElement.GetProperty("points");
        Assert.Equal(a.Points.Count, points.GetArrayLength());
        foreach (var (p, e) in a.Points.Zip(points.EnumerateArray()))
        {
            Assert.Equal(p.Name, e.GetProperty("name").GetString());
            Assert.Equal(p.Predicted.Luts, e.GetProperty("predLuts").GetInt32());
            if (p.Projection is { } t) Assert.Equal(t.CyclesPerToken, e.GetProperty("cyclesPerToken").GetInt64());
            else Assert.Equal(JsonValueKind.Null, e.GetProperty("cyclesPerToken").ValueKind);
        }
        Assert.Equal(a.Front.Count(), doc.RootElement.GetProperty("onFront").GetInt32());
    }

    [Fact]
    public void A_space_file_replaces_only_the_lists_it_names_and_a_bad_one_is_a_one_line_error()
    {
        ExploreSpace s = ExploreSpace.Parse("""{ "lanes": [4], "pe": ["mac"], "actBits": [4, 8] }""", "space.json", SynthTarget.Xc7);
        Assert.Equal([4], s.Lanes);
        Assert.Equal([PeKind.Mac], s.Pe);
        Assert.Equal([4, 8], s.ActBits);
        Assert.Equal(ExploreSpace.Default(SynthTarget.Xc7).Rows, s.Rows);
        var e = Assert.Throws<UserInputException>(() => ExploreSpace.Parse("""{ "lane": [4] }""", "space.json", SynthTarget.Xc7));
        Assert.Equal("space.json", e.Subject);
        e = Assert.Throws<UserInputException>(() => ExploreSpace.Parse("""{ "axiDataBits": [128] }""", "space.json", SynthTarget.Ice40Up5k));
        Assert.Contains("axiDataBits", e.Problem);
    }

    [Fact]
    public void The_synthesis_stage_asks_the_flow_for_a_top_and_a_host_fed_engine_has_its_board_wrapper()
    {
        var hostFed = SmallSpace.Enumerate().Configs;
        Func<HardwareConfig, bool> can = Explorer.SynthesizableKinds(hostFed, new SynthOptions(SynthTarget.Ice40Up5k));
        Assert.All(hostFed, c => Assert.True(can(c)));
        var streaming = HardwareConfig.Load(Repo("docs/examples/stream-small.json"));
        Assert.False(can(streaming), "a kind the configurations did not contain is not asked about, and not synthesized");
    }

    [Fact]
    public void A_synthesized_point_whose_measured_design_exceeds_the_budget_says_which_resource_in_its_row()
    {
        ExploreResult r = Explore(ExploreBudget.Default(SynthTarget.Ice40Up5k));
        ExplorePoint p = r.Points.First(p => p.OnFront);
        // What the UP5K run measured for l32_r4 (docs/explore.md): it fits the LUTs but needs 50 of the 30 block RAMs.
        var design = new CellCounts(SynthTarget.Ice40Up5k, [new("SB_DFF", 2061), new("SB_LUT4", 2838), new("SB_RAM40_4K", 50), new("SB_SPRAM256KA", 4)], 0);
        var report = new SynthReport(SynthTarget.Ice40Up5k, p.Config.Tag, "yosys", p.Config.Lanes * p.Config.Rows, design, design, [], null, "not placed");
        ExplorePoint measured = p with { Measured = report };
        Assert.Equal("brams 50 > 30", measured.MeasuredExceeds(r.Request.Budget));
        Assert.Null(measured.MeasuredExceeds(r.Request.Budget with { Brams = 50 }));
        Assert.Null(p.MeasuredExceeds(r.Request.Budget));
        string row = ExploreFiles.Csv([measured], r.Request).Split('\n')[1];
        string[] cells = row.Split(',');
        Assert.Equal("brams 50 > 30", cells[Array.IndexOf(ExploreFiles.Columns, "measExceeds")]);
        Assert.Equal("2838", cells[Array.IndexOf(ExploreFiles.Columns, "measLuts")]);
        Assert.Equal("1", cells[Array.IndexOf(ExploreFiles.Columns, "synthesized")]);
    }
}
