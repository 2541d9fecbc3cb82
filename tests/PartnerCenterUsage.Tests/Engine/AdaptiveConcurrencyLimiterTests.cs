using PartnerCenterUsage.Engine.Throttling;

namespace PartnerCenterUsage.Tests.Engine;

public sealed class AdaptiveConcurrencyLimiterTests
{
    [Fact]
    public async Task It_allows_the_maximum_at_once_and_the_next_waits_for_a_release()
    {
        var limiter = new AdaptiveConcurrencyLimiter(2);
        var first = await limiter.AcquireAsync(CancellationToken.None);
        using var second = await limiter.AcquireAsync(CancellationToken.None);

        var third = limiter.AcquireAsync(CancellationToken.None);
        Assert.False(third.IsCompleted);
        first.Dispose();

        using var lease = await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, limiter.InFlight);
    }

    [Fact]
    public async Task A_429_halves_the_limit_once_per_overshoot()
    {
        var limiter = new AdaptiveConcurrencyLimiter(8);
        var leases = new List<AdaptiveConcurrencyLimiter.Lease>();
        for (var i = 0; i < 8; i++)
        {
            leases.Add(await limiter.AcquireAsync(CancellationToken.None));
        }

        // Eight requests of the same overshoot are throttled: one halving, not eight.
        leases.ForEach(l => l.Throttled());
        leases.ForEach(l => l.Dispose());
        Assert.Equal(4, limiter.Limit);

        // A request sent under the new limit that is throttled halves again.
        await Throttle(limiter);
        Assert.Equal(2, limiter.Limit);
    }

    [Fact]
    public async Task Successes_climb_fast_below_the_refused_level_then_probe_it_cautiously_and_recover_to_the_maximum()
    {
        var limiter = new AdaptiveConcurrencyLimiter(8);
        await Throttle(limiter);
        Assert.Equal(4, limiter.Limit);

        // Below the refused level (8): one step per 'limit' successes.
        Assert.Equal(4, await SucceedUntilRaised(limiter));
        Assert.Equal(5, await SucceedUntilRaised(limiter));
        Assert.Equal(6, await SucceedUntilRaised(limiter));

        // The step to the refused level takes several times as many.
        Assert.Equal(7 * 4, await SucceedUntilRaised(limiter));
        Assert.Equal(8, limiter.Limit);
    }

    [Fact]
    public async Task A_refused_probe_steps_back_just_below_the_level_and_the_next_probe_waits_twice_as_long()
    {
        var limiter = new AdaptiveConcurrencyLimiter(8);
        await Throttle(limiter);                       // refused at 8: halved to 4
        for (var i = 0; i < 3; i++)
        {
            await SucceedUntilRaised(limiter);         // 5, 6, 7 quickly
        }

        await Throttle(limiter);                       // refused at 7, a new level: halved to 3
        Assert.Equal(3, limiter.Limit);
        for (var i = 0; i < 3; i++)
        {
            await SucceedUntilRaised(limiter);         // 4, 5, 6 quickly
        }

        Assert.Equal(6 * 4, await SucceedUntilRaised(limiter)); // probing 7 takes 4 x 6 successes
        await Throttle(limiter);                       // the probe is refused: back to 6, not halved
        Assert.Equal(6, limiter.Limit);
        Assert.Equal(6 * 8, await SucceedUntilRaised(limiter)); // the next probe waits twice as long

        await Throttle(limiter);                       // refused again
        Assert.Equal(6, limiter.Limit);
        await Throttle(limiter);                       // refused at 6: a new, lower level, halved
        Assert.Equal(3, limiter.Limit);
    }

    private static async Task Throttle(AdaptiveConcurrencyLimiter limiter)
    {
        using var lease = await limiter.AcquireAsync(CancellationToken.None);
        lease.Throttled();
    }

    private static async Task<int> SucceedUntilRaised(AdaptiveConcurrencyLimiter limiter)
    {
        var before = limiter.Limit;
        var successes = 0;
        while (limiter.Limit == before)
        {
            using var lease = await limiter.AcquireAsync(CancellationToken.None);
            lease.Succeeded();
            successes++;
        }

        return successes;
    }

    [Fact]
    public async Task After_a_pause_the_levels_refused_during_it_are_forgotten_and_the_limit_climbs_at_the_fast_pace()
    {
        var limiter = new AdaptiveConcurrencyLimiter(8);
        await Throttle(limiter);
        await Throttle(limiter);
        await Throttle(limiter);
        Assert.Equal(1, limiter.Limit);

        limiter.Resumed();

        // One step per 'limit' successes all the way, no probing of the levels refused in the storm.
        Assert.Equal(1, await SucceedUntilRaised(limiter));
        Assert.Equal(2, await SucceedUntilRaised(limiter));
        Assert.Equal(3, await SucceedUntilRaised(limiter));
        Assert.Equal(4, await SucceedUntilRaised(limiter));
        Assert.Equal(5, limiter.Limit);
    }

    [Fact]
    public async Task Waiters_get_slots_first_come_first_served()
    {
        var limiter = new AdaptiveConcurrencyLimiter(1);
        var held = await limiter.AcquireAsync(CancellationToken.None);
        var order = new List<int>();
        var waiters = Enumerable.Range(1, 5).Select(async i =>
        {
            using var lease = await limiter.AcquireAsync(CancellationToken.None);
            lock (order)
            {
                order.Add(i);
            }
        }).ToList();

        held.Dispose();
        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal([1, 2, 3, 4, 5], order);
    }

    [Fact]
    public async Task It_never_goes_below_one()
    {
        var limiter = new AdaptiveConcurrencyLimiter(1);
        using var lease = await limiter.AcquireAsync(CancellationToken.None);
        lease.Throttled();

        Assert.Equal(1, limiter.Limit);
    }

    [Fact]
    public async Task A_waiting_acquire_ends_with_the_cancellation()
    {
        var limiter = new AdaptiveConcurrencyLimiter(1);
        using var held = await limiter.AcquireAsync(CancellationToken.None);
        using var cancellation = new CancellationTokenSource();

        var waiting = limiter.AcquireAsync(cancellation.Token);
        Assert.False(waiting.IsCompleted);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(1, limiter.InFlight);
    }
}
