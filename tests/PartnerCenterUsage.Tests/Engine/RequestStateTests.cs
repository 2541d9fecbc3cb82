using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// The retry policy's decision on a refusal (429), without a network: a wait is taken only when the run's throttling
/// budget covers it whole; otherwise the request is given up at once, saying what it needed and what was left, and its
/// history holds its sends only.
/// </summary>
public sealed class RequestStateTests
{
    private static RequestState State(PartnerCenterOperation? operation = null) =>
        new(PartnerCenterRequest.Get(new Uri("https://api.partnercenter.microsoft.com/v1/customers")), operation ?? new PartnerCenterOperation());

    [Fact]
    public void A_Retry_After_the_budget_cannot_cover_gives_up_at_once_with_what_it_asked_for_and_no_note_among_the_attempts()
    {
        var clock = new TestClock(autoAdvance: false);
        var options = new PartnerCenterClientOptions { TimeProvider = clock, MaxThrottleWait = TimeSpan.FromSeconds(5) };
        var state = State();

        Assert.False(state.Throttled(TimeSpan.FromSeconds(57), options));

        Assert.Empty(state.History);
        Assert.True(state.ShortfallAsked);
        Assert.Equal(TimeSpan.FromSeconds(57), state.Shortfall!.Needed);
        Assert.Equal(TimeSpan.FromSeconds(5), state.Shortfall.Left);
        Assert.Equal(TimeSpan.FromSeconds(5), state.Shortfall.Budget);
        Assert.Equal(TimeSpan.Zero, state.Operation.Throttle.Gate.Spent);
        Assert.Equal(TimeSpan.Zero, state.ThrottleWait(clock));
    }

    [Fact]
    public void A_Retry_After_the_budget_covers_is_waited_whole()
    {
        var clock = new TestClock(autoAdvance: false);
        var options = new PartnerCenterClientOptions { TimeProvider = clock, MaxThrottleWait = TimeSpan.FromSeconds(57) };
        var state = State();

        Assert.True(state.Throttled(TimeSpan.FromSeconds(57), options));

        Assert.Null(state.Shortfall);
        Assert.Equal(TimeSpan.FromSeconds(57), state.ThrottleWait(clock));
    }

    [Fact]
    public void Without_a_Retry_After_the_doubling_waits_go_on_until_the_next_one_is_more_than_is_left()
    {
        // 5 s allowed: about 1 s, then about 2 s (with up to a fifth more each), then about 4 s, more than the 1.4 to 2 s
        // left: final, not cut to what is left.
        var clock = new TestClock(autoAdvance: false);
        var options = new PartnerCenterClientOptions { TimeProvider = clock, MaxThrottleWait = TimeSpan.FromSeconds(5) };
        var state = State();
        for (var i = 0; i < 2; i++)
        {
            Assert.True(state.Throttled(null, options));
            clock.Advance(state.ThrottleWait(clock));
        }

        Assert.False(state.Throttled(null, options));

        Assert.False(state.ShortfallAsked);
        Assert.InRange(state.Shortfall!.Needed.TotalSeconds, 4, 4.8);
        Assert.InRange(state.Shortfall.Left.TotalSeconds, 1.4, 2);
        Assert.Empty(state.History);
    }

    [Fact]
    public void A_Retry_After_beyond_the_longest_believed_wait_is_not_what_the_service_is_said_to_have_asked_for()
    {
        var clock = new TestClock(autoAdvance: false);
        var options = new PartnerCenterClientOptions { TimeProvider = clock, MaxThrottleWait = TimeSpan.Zero };
        var state = State();

        Assert.False(state.Throttled(TimeSpan.FromDays(1), options));

        Assert.False(state.ShortfallAsked);
        Assert.InRange(state.Shortfall!.Needed.TotalSeconds, 1, 1.2);
    }
}
