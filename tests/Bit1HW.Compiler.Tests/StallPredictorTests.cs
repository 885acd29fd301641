using Bit1HW.Core.Hardware;

namespace Bit1HW.Compiler.Tests;

public class StallPredictorTests
{
    // 4 rows × 16 lanes: 128-bit words; 128-bit beats, 2 beats per burst → 2 words per burst.
    private static HardwareConfig Cfg(int maxOutstanding = 1, int weightDepth = 4, int beats = 2) => new HardwareConfig
    {
        Lanes = 16, Rows = 4, WeightDepth = weightDepth,
        Stream = new StreamConfig { AxiDataBits = 128, BurstBeats = beats, MaxOutstanding = maxOutstanding },
    }.Validate();

    private static uint[] Program(params string[] lines) => Assembler.Assemble(string.Join('\n', lines), "test");

    [Fact]
    public void One_outstanding_burst_at_a_time_gives_the_stalls_counted_by_hand()
    {
        // Cycles 0-1 fetch, SETS 2, LOAD 3 (pending from 4). Burst 0 taken in 4, beats in 7 and 8;
        // MAC stalls 4-7, reads word 0 in 8 and word 1 in 9; burst 1 taken in 9 (the first one ended
        // in 8), beats in 12 and 13; MAC stalls 10-12, reads words 2 and 3 in 13 and 14; HALT in 15.
        var p = StallPredictor.Predict(Cfg(), Program("SETS 0", "LOAD 2", "MAC 4", "HALT"), new MemoryTiming(3));
        Assert.Equal(9, p.StaticCycles);
        Assert.Equal(16, p.Cycles);
        Assert.Equal(7, p.StallCycles);
        Assert.Equal(7, p.MacStallCycles);
        Assert.Equal(0, p.HaltStallCycles);
        Assert.Equal(2, p.Bursts);
        Assert.Equal(64, p.BytesRead);
    }

    [Fact]
    public void A_second_outstanding_burst_overlaps_the_first_and_halves_the_stalls()
    {
        // Burst 0 taken in 4 (beats 7, 8), burst 1 taken in 5 (beats max(9, 8) = 9 and 10).
        // MAC stalls 4-7, reads words 0-3 in 8, 9, 10, 11 (word 3 arrives in 10); HALT in 12.
        var p = StallPredictor.Predict(Cfg(maxOutstanding: 2, weightDepth: 8), Program("SETS 0", "LOAD 2", "MAC 4", "HALT"), new MemoryTiming(3));
        Assert.Equal(13, p.Cycles);
        Assert.Equal(4, p.StallCycles);
    }

    [Fact]
    public void A_half_rate_memory_spaces_beats_two_cycles_apart()
    {
        // Burst 0 taken in 4: beats at 7 and 9; burst 1 taken in 10 (burst 0 ended in 9): beats at
        // max(11, 13) = 13 and 15. MAC: stalls 4-7, word 0 in 8, stall 9, word 1 in 10, stalls 11-13,
        // word 2 in 14, stall 15, word 3 in 16, HALT 17.
        var p = StallPredictor.Predict(Cfg(), Program("SETS 0", "LOAD 2", "MAC 4", "HALT"), new MemoryTiming(3, 1, 2));
        Assert.Equal(18, p.Cycles);
        Assert.Equal(9, p.StallCycles);
    }

    [Fact]
    public void Halt_waits_for_bursts_no_mac_reads()
    {
        // Nothing reads the stream: burst 0 taken in 4, beats 7 and 8, so HALT (cycle 4) stalls 4-8
        // and burst 1 (taken in 9, beats 12, 13) keeps it waiting until 13; HALT executes in 14.
        var p = StallPredictor.Predict(Cfg(), Program("SETS 0", "LOAD 2", "HALT"), new MemoryTiming(3));
        Assert.Equal(15, p.Cycles);
        Assert.Equal(10, p.HaltStallCycles);
        Assert.Equal(0, p.MacStallCycles);
    }

    [Fact]
    public void A_full_ring_holds_the_next_burst_until_the_macs_have_read()
    {
        // Ring of 4 words = 2 bursts. Burst 0 taken in 4 (beats 7, 8), burst 1 in 9 (beats 12, 13);
        // burst 2 needs received + in flight + 2 - read <= 4, so it waits for two reads. The NOP runs
        // 4-23; the MAC reads words 0, 1 in 24, 25; burst 2 is taken in 26 (beats 29, 30); words 2, 3
        // in 26, 27; stalls 28, 29; words 4, 5 in 30, 31; HALT in 32.
        var p = StallPredictor.Predict(Cfg(), Program("SETS 0", "LOAD 3", "NOP 20", "MAC 6", "HALT"), new MemoryTiming(3));
        Assert.Equal(31, p.StaticCycles);
        Assert.Equal(33, p.Cycles);
        Assert.Equal(2, p.MacStallCycles);
    }

    [Fact]
    public void A_program_that_reads_words_it_never_loads_is_refused_rather_than_run_forever()
    {
        Assert.Throws<InvalidOperationException>(() =>
            StallPredictor.Predict(Cfg(), Program("SETS 0", "LOAD 1", "MAC 3", "HALT"), new MemoryTiming(3)));
    }
}
