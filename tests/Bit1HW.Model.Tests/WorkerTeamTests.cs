using Bit1HW.Model.Decoding;

namespace Bit1HW.Model.Tests;

/// <summary>The decoder's thread team: every chunk of every job exactly once, failures reported, concurrent callers served.</summary>
public class WorkerTeamTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_chunk_of_every_job_runs_exactly_once(int threads)
    {
        var team = WorkerTeam.For(threads);
        for (int job = 0; job < 2000; job++)
        {
            int chunks = 1 + job % 37;
            var runs = new int[chunks];
            // Each chunk takes a moment, so the team's threads claim some and a caller that returned
            // before they finished would see a count of 0.
            team.Run(chunks, c =>
            {
                Thread.SpinWait(300);
                Interlocked.Increment(ref runs[c]);
            });
            for (int c = 0; c < chunks; c++)
                Assert.True(runs[c] == 1, $"{threads} threads, job {job}: chunk {c} of {chunks} ran {runs[c]} times");
            if (job % 500 == 499) Thread.Sleep(2); // let the team fall asleep, then wake it
        }
    }

    [Fact]
    public void A_failing_chunk_is_rethrown_after_the_others_ran_and_the_team_keeps_working()
    {
        var team = WorkerTeam.For(2);
        var runs = new int[16];
        var e = Assert.Throws<InvalidOperationException>(() => team.Run(16, c =>
        {
            Interlocked.Increment(ref runs[c]);
            if (c == 5) throw new InvalidOperationException("chunk 5");
        }));
        Assert.Equal("chunk 5", e.Message);
        Assert.All(runs, r => Assert.Equal(1, r));
        int sum = 0;
        team.Run(10, c => Interlocked.Add(ref sum, c));
        Assert.Equal(45, sum);
    }

    [Fact]
    public void Concurrent_callers_each_get_all_their_chunks()
    {
        var team = WorkerTeam.For(2);
        Parallel.For(0, 4, caller =>
        {
            for (int job = 0; job < 300; job++)
            {
                long sum = 0;
                team.Run(9, c => Interlocked.Add(ref sum, c + 1));
                Assert.True(sum == 45, $"caller {caller}, job {job}: chunk sum {sum}, want 45");
            }
        });
    }
}
