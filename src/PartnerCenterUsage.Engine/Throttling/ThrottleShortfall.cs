using System;

namespace PartnerCenterUsage.Engine.Throttling;

/// <summary>
/// Why a throttled request was given up: before it could be sent (again) it had to wait <see cref="Needed"/>, for the
/// Retry-After Partner Center asked for or for the run's pause, and the run's throttling budget
/// (<see cref="Http.PartnerCenterClientOptions.MaxThrottleWait"/>) had only <see cref="Left"/> of it left. The request
/// was not sent again: sending it before that time is what the service asked not to do.
/// </summary>
public sealed class ThrottleShortfall
{
    internal ThrottleShortfall(TimeSpan needed, TimeSpan left, TimeSpan budget, bool paused)
    {
        Needed = needed;
        Left = left;
        Budget = budget;
        Paused = paused;
    }

    /// <summary>How long the request had to wait before it could be sent (again).</summary>
    public TimeSpan Needed { get; }

    /// <summary>What was left of the run's throttling budget: less than <see cref="Needed"/>.</summary>
    public TimeSpan Left { get; }

    /// <summary>The run's throttling budget in all.</summary>
    public TimeSpan Budget { get; }

    /// <summary>
    /// True when the wait was the run's pause (a burst of refusals: the partner's allowance spent, every request refused
    /// until then), which outlasted the request's own wait; false when it was the request's own wait after its refusal.
    /// </summary>
    public bool Paused { get; }
}
