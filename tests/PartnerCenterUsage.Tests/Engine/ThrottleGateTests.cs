using PartnerCenterUsage.Engine.Throttling;

namespace PartnerCenterUsage.Tests.Engine;

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
            Assert.True(gate.TryWait(Start.AddMilliseconds(10 * i), Second, 4, Budget, out _, out var started));
            Assert.False(started);
        }

        Assert.Null(gate.PausedUntil);
        Assert.True(gate.TryWait(Start.AddMilliseconds(30), Second, 4, Budget, out var until, out var pauseStarted));

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
            Assert.True(gate.TryWait(now, Second, 2, Budget, out var until, out var pauseStarted));
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
        Assert.True(gate.TryWait(Start, Second, 2, Budget, out _, out _));
        Assert.False(gate.Answered(Start.AddMilliseconds(10), success: false));
        Assert.True(gate.TryWait(Start.AddMilliseconds(20), Second, 2, Budget, out _, out var pauseStarted));

        Assert.True(pauseStarted);
        Assert.True(gate.Answered(Start.AddMilliseconds(20) + Second, success: true));
    }
}
