using PartnerCenterUsage.Engine.Throttling;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// The operation's throttling gate: bursts of refusals pause the whole run, and its throttled time is a budget that
/// pays for a wait whole or not at all, so that no request is sent before the time the service asked for.
/// </summary>
public sealed class ThrottleGateTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    [Fact]
    public void Refusals_as_many_as_requests_in_flight_within_one_wait_pause_the_operation()
    {
        var gate = new ThrottleGate();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(gate.TryWait(Start.AddMilliseconds(10 * i), Second, 4, Budget, out _, out var started, out _));
            Assert.False(started);
        }

        Assert.Null(gate.PausedUntil);
        Assert.True(gate.TryWait(Start.AddMilliseconds(30), Second, 4, Budget, out var until, out var pauseStarted, out _));

        Assert.True(pauseStarted);
        Assert.Equal(Start.AddMilliseconds(30) + Second, gate.PausedUntil);
        Assert.Equal(gate.PausedUntil, until);
    }

    [Fact]
    public void A_request_accepted_between_refusals_ends_the_burst_as_the_service_still_takes_requests()
    {
        // A steady rate limit at its edge: refusals close together, with successes between them.
        var gate = new ThrottleGate();
        for (var i = 0; i < 10; i++)
        {
            var now = Start.AddMilliseconds(50 * i);
            Assert.True(gate.TryWait(now, Second, 2, Budget, out var until, out var pauseStarted, out _));
            Assert.False(pauseStarted);
            Assert.Equal(now + Second, until);
            Assert.False(gate.Answered(now.AddMilliseconds(10), success: true));
        }

        Assert.Null(gate.PausedUntil);
        Assert.Equal(10, gate.Refusals);
    }

    [Fact]
    public void An_answer_that_is_not_a_success_does_not_end_the_burst()
    {
        var gate = new ThrottleGate();
        Assert.True(gate.TryWait(Start, Second, 2, Budget, out _, out _, out _));
        Assert.False(gate.Answered(Start.AddMilliseconds(10), success: false));
        Assert.True(gate.TryWait(Start.AddMilliseconds(20), Second, 2, Budget, out _, out var pauseStarted, out _));

        Assert.True(pauseStarted);
        Assert.True(gate.Answered(Start.AddMilliseconds(20) + Second, success: true));
    }

    [Fact]
    public void A_wait_the_budget_left_cannot_cover_is_final_at_once_and_spends_nothing()
    {
        // Retry-After 57 with 5 s allowed: no wait of 5 s and a send before the 57 s (what the gate did before).
        var gate = new ThrottleGate();

        Assert.False(gate.TryWait(Start, TimeSpan.FromSeconds(57), 1, TimeSpan.FromSeconds(5), out var until, out _, out var shortfall));

        Assert.Equal(Start, until);
        Assert.NotNull(shortfall);
        Assert.Equal(TimeSpan.FromSeconds(57), shortfall.Needed);
        Assert.Equal(TimeSpan.FromSeconds(5), shortfall.Left);
        Assert.Equal(TimeSpan.FromSeconds(5), shortfall.Budget);
        Assert.False(shortfall.Paused);
        Assert.Equal(TimeSpan.Zero, gate.Spent);
        Assert.Equal(1, gate.Refusals);
        // One refusal is the request's own business: the others are not held back.
        Assert.Null(gate.PausedUntil);
        Assert.True(gate.TryEnter(Start, TimeSpan.FromSeconds(5), out var wait, out _));
        Assert.Equal(TimeSpan.Zero, wait);
    }

    [Fact]
    public void A_wait_the_budget_covers_exactly_is_taken_and_the_last_one_is_not_shortened()
    {
        var gate = new ThrottleGate();
        var budget = TimeSpan.FromSeconds(5);

        Assert.True(gate.TryWait(Start, 3 * Second, 1, budget, out var until, out _, out var none));
        Assert.Null(none);
        Assert.Equal(Start + (3 * Second), until);

        // 2 s left: a wait of 2 s is covered; one of 3 s is not, and is not cut to the 2 s left.
        Assert.False(gate.TryWait(until, 3 * Second, 1, budget, out _, out _, out var shortfall));
        Assert.Equal(2 * Second, shortfall!.Left);
        Assert.Equal(3 * Second, shortfall.Needed);
        Assert.True(gate.TryWait(until, 2 * Second, 1, budget, out var last, out _, out _));
        Assert.Equal(until + (2 * Second), last);
        Assert.Equal(budget, gate.Spent);
    }

    [Fact]
    public void Waits_that_overlap_are_paid_once_so_parallel_refusals_share_the_budget()
    {
        // Two requests refused 10 ms apart, each asked for 4 s, with 5 s allowed: 4.01 s of throttled time in all.
        var gate = new ThrottleGate();
        var budget = TimeSpan.FromSeconds(5);

        Assert.True(gate.TryWait(Start, 4 * Second, 8, budget, out _, out _, out _));
        Assert.True(gate.TryWait(Start.AddMilliseconds(10), 4 * Second, 8, budget, out _, out _, out _));

        Assert.Equal(TimeSpan.FromMilliseconds(4010), gate.Spent);
    }

    [Fact]
    public void A_burst_the_budget_cannot_cover_closes_the_run_until_the_time_the_service_asked_for()
    {
        // Two requests in flight, both refused with Retry-After 57, 5 s allowed: both are final, and the run stays closed
        // until the 57 s are over, so that no request waiting for a slot is sent into the refusals.
        var gate = new ThrottleGate();
        var budget = TimeSpan.FromSeconds(5);
        var asked = TimeSpan.FromSeconds(57);

        Assert.False(gate.TryWait(Start, asked, 2, budget, out _, out _, out _));
        Assert.Null(gate.PausedUntil);
        Assert.False(gate.TryWait(Start.AddMilliseconds(5), asked, 2, budget, out _, out var pauseStarted, out var second));
        Assert.False(pauseStarted);
        Assert.Equal(asked, second!.Needed);
        Assert.Equal(Start.AddMilliseconds(5) + asked, gate.PausedUntil);
        Assert.Equal(TimeSpan.Zero, gate.Spent);

        // A request about to be sent now would wait 57 s: it is given up without being sent.
        Assert.False(gate.TryEnter(Start.AddMilliseconds(10), budget, out _, out var shortfall));
        Assert.True(shortfall!.Paused);
        Assert.Equal(asked - TimeSpan.FromMilliseconds(5), shortfall.Needed);
        Assert.Equal(budget, shortfall.Left);
        Assert.Equal(TimeSpan.Zero, gate.Spent);

        // A request refused meanwhile, asked for less, would still wait for the run's pause: final too.
        Assert.False(gate.TryWait(Start.AddSeconds(1), Second, 2, budget, out _, out _, out var refused));
        Assert.True(refused!.Paused);

        // 4 s before the end, the budget covers the rest: the request waits until the time asked for, paid for once.
        var late = Start.AddMilliseconds(5) + asked - (4 * Second);
        Assert.True(gate.TryEnter(late, budget, out var wait, out _));
        Assert.Equal(4 * Second, wait);
        Assert.True(gate.TryEnter(late + Second, budget, out var shorter, out _));
        Assert.Equal(3 * Second, shorter);
        Assert.Equal(4 * Second, gate.Spent);
    }

    [Fact]
    public void A_pause_the_budget_paid_for_is_waited_for_at_no_further_cost()
    {
        var gate = new ThrottleGate();
        Assert.True(gate.TryWait(Start, 2 * Second, 2, Budget, out _, out _, out _));
        Assert.True(gate.TryWait(Start, 2 * Second, 2, Budget, out _, out var pauseStarted, out _));
        Assert.True(pauseStarted);

        Assert.True(gate.TryEnter(Start + Second, Budget, out var wait, out _));

        Assert.Equal(Second, wait);
        Assert.Equal(2 * Second, gate.Spent);
        Assert.True(gate.TryEnter(Start + (2 * Second), Budget, out var none, out _));
        Assert.Equal(TimeSpan.Zero, none);
    }
}
